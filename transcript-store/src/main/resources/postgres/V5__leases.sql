-- Named leases (the Leases SPI; e.g. the interaction servers' router): who holds each, at which
-- epoch, and the beat counter the holder raises. Changed only by compare-and-set statements
-- (WHERE epoch = $n AND beat = $m to acquire, WHERE holder = $n AND epoch = $m to renew and
-- release); epoch only grows and fences what a holder decided. Rows never expire: a deleted row
-- would start the epochs again at 0.
CREATE TABLE chat_leases (
  name    text PRIMARY KEY,
  holder  text NOT NULL,
  epoch   bigint NOT NULL,
  beat    bigint NOT NULL
);
