import assert from "node:assert/strict";
import { test } from "node:test";
import { detectLanguage } from "./detect-language.ts";

test("customer mail in each of our five languages", () => {
  const cases: Array<[string, string]> = [
    ["en", "Hello, my order has not arrived yet. Could you check where the parcel is?"],
    ["ro", "Bună ziua, comanda mea nu a ajuns încă. Puteți verifica, vă rog?"],
    ["ro", "Buna ziua, comanda mea nu a ajuns inca. Puteti verifica va rog unde este coletul?"],
    ["ro", "Vă rog să verificaţi garanţia (cedilla forms from legacy charsets)."],
    ["pl", "Dzień dobry, moje zamówienie jeszcze nie dotarło. Czy mogą Państwo sprawdzić?"],
    ["pl", "Dzien dobry, moje zamowienie jeszcze nie dotarlo. Prosze o sprawdzenie."],
    ["bg", "Здравейте, поръчката ми още не е пристигнала."],
    ["fa", "سلام، سفارش من هنوز نرسیده است."],
  ];
  for (const [expected, text] of cases) assert.equal(detectLanguage(text), expected, text);
});

test("the script decides when it dominates, even among Latin order numbers and addresses", () => {
  assert.equal(detectLanguage("Поръчка SKU-4471 / order X200: кутията е смачкана"), "bg");
  assert.equal(detectLanguage("سفارش ۴۴۷۱ (SKU X200) هنوز نرسیده است"), "fa");
});

test("too short, only numbers and addresses, or too close a call: null", () => {
  assert.equal(detectLanguage(""), null);
  assert.equal(detectLanguage("Thanks!"), null);
  assert.equal(detectLanguage("ok"), null);
  assert.equal(detectLanguage("Order 12345 SKU-9 qty 2"), null);
  assert.equal(detectLanguage("anna.smith@example.com https://shop.example/orders/4471"), null);
});

test("quoted lines and forwarded headers do not count", () => {
  const text = [
    "Dziękuję bardzo, wszystko dotarło w porządku.",
    "> Hello, your order has shipped and will arrive tomorrow by courier.",
    "> Please let us know if anything is missing from the parcel.",
    "From: Support <support@example.com>",
    "Subject: Your order has shipped",
  ].join("\n");
  assert.equal(detectLanguage(text), "pl");
});
