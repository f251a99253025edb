/**
 * The pages' whole stylesheet, sent inline with a CSP nonce (one request on a slow phone). Logical
 * properties (inline/block, start/end) make the same rules right for Persian, which is right-to-left.
 */
export const publicCss = (primary: string, accent: string): string => `
:root{--primary:${primary};--accent:${accent};--text:#1f2937;--muted:#5b6472;--line:#d9dde3;--bg:#f6f7f9;--error:#b42318}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Vazirmatn","Noto Sans Arabic",Tahoma,sans-serif;color:var(--text);background:var(--bg);line-height:1.5}
body{margin:0}
a{color:var(--primary)}
.top{background:var(--primary);color:#fff}
.top .in{max-inline-size:46rem;margin-inline:auto;padding-block:.75rem;padding-inline:1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
.top img{block-size:2rem;inline-size:auto;border-radius:.25rem;background:#fff}
.top .name{font-weight:600;font-size:1.1rem;flex:1}
.top nav{display:flex;gap:.5rem;font-size:.875rem}
.top nav a{color:#fff;opacity:.85}
.top nav a[aria-current]{opacity:1;font-weight:600;text-decoration:none}
main{max-inline-size:46rem;margin-inline:auto;padding:1.5rem 1rem 3rem}
.card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1.25rem 1.25rem 1.5rem;margin-block-end:1.25rem}
h1{font-size:1.5rem;margin-block:0 .5rem}
h2{font-size:1.15rem;margin-block:0 .75rem}
.lead{color:var(--muted);margin-block:0 1rem}
.field{margin-block-end:1rem}
label{display:block;font-weight:600;margin-block-end:.25rem}
.opt{font-weight:400;color:var(--muted)}
.hint{color:var(--muted);font-size:.875rem;margin-block:.25rem 0}
input,select,textarea{font:inherit;color:inherit;inline-size:100%;padding:.55rem .65rem;border:1px solid #9aa3af;border-radius:.375rem;background:#fff}
input[type=file]{padding:.4rem;border-style:dashed}
textarea{min-block-size:9rem;resize:vertical}
input:focus,select:focus,textarea:focus,button:focus{outline:3px solid color-mix(in srgb,var(--primary) 45%,transparent);outline-offset:1px}
[aria-invalid=true]{border-color:var(--error)}
.err{color:var(--error);font-size:.875rem;margin-block:.25rem 0}
.alert{border:1px solid var(--error);border-inline-start-width:.35rem;background:#fff5f4;padding:.75rem 1rem;border-radius:.375rem;margin-block-end:1rem}
.alert ul{margin:.25rem 0 0;padding-inline-start:1.25rem}
.ok{border:1px solid var(--accent);border-inline-start-width:.35rem;background:#f3fbf8;padding:.75rem 1rem;border-radius:.375rem;margin-block-end:1rem}
button{font:inherit;font-weight:600;background:var(--primary);color:#fff;border:0;border-radius:.375rem;padding:.65rem 1.25rem;cursor:pointer}
.hp{position:absolute;inset-inline-start:-10000px;inline-size:1px;block-size:1px;overflow:hidden}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0 0 1rem}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:#eef2f7;font-weight:600;font-size:.875rem}
.badge.s-solved,.badge.s-closed{background:#e7f6ef;color:#0b6b45}
.badge.s-pending{background:#fff4e0;color:#8a4b00}
ol.thread{list-style:none;margin:0;padding:0}
ol.thread>li{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin-block-end:.75rem;background:#fff}
ol.thread>li.team{border-inline-start:.3rem solid var(--accent)}
ol.thread>li.you{border-inline-start:.3rem solid var(--primary)}
.who{font-size:.875rem;color:var(--muted);margin-block-end:.35rem}
.who strong{color:var(--text)}
.body{white-space:pre-wrap;overflow-wrap:anywhere}
.files{margin:.5rem 0 0;padding-inline-start:1.25rem;font-size:.875rem}
footer{text-align:center;color:var(--muted);font-size:.8rem;padding-block-end:2rem}
`;
