/** Timings and limits of the realtime service; tests shorten some of them. */
export type TRealtimeOptions = {
  /** How often a client repeats its presence state (told to it in the ready frame). */
  presenceHeartbeatMs: number;
  /** A presence state not repeated for this long is forgotten. */
  presenceTtlMs: number;
  presenceSweepMs: number;
  /** How often a socket's session is checked again (besides on every subscribe). */
  sessionCheckMs: number;
  /** Protocol pings; a socket that did not answer the previous one is cut off. */
  pingMs: number;
  maxTopics: number;
  frameBurst: number;
  framesPerSecond: number;
  /** A client that reads too slowly is closed once this much waits to be sent to it. */
  maxBufferedBytes: number;
};

export const REALTIME_DEFAULTS: TRealtimeOptions = {
  presenceHeartbeatMs: 20_000,
  presenceTtlMs: 45_000,
  presenceSweepMs: 5_000,
  sessionCheckMs: 60_000,
  pingMs: 30_000,
  maxTopics: 100,
  frameBurst: 100,
  framesPerSecond: 50,
  maxBufferedBytes: 1024 * 1024,
};
