package dev.clavis.jdbc;

import dev.clavis.keyring.Keyring;

/** Waits (up to 5 s) for a keyring to show a number of versions of a key. */
final class PostgresKeyRingAssertions {

  private PostgresKeyRingAssertions() {}

  static void versions(Keyring k, String name, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      int v = k.find(name).map(i -> i.versions().size()).orElse(0);
      if (v == n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " has " + v + " versions, expected " + n);
      }
      Thread.sleep(10);
    }
  }
}
