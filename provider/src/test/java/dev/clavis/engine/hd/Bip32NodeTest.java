package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Bip32NodeTest {

  private static final byte[] SEED = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

  @Test
  void master_vectorOne_serializesAsTheBipSays() {
    Bip32Node m = Bip32Node.master(SEED, false);
    assertEquals("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi", m.toBase58());
    assertEquals("xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8", m.neuter().toBase58());
    assertEquals(0x3442193e, m.fingerprint());
  }

  @Test
  void master_testnet_usesTprvAndTpub() {
    Bip32Node m = Bip32Node.master(SEED, true);
    assertTrue(m.toBase58().startsWith("tprv"));
    assertTrue(m.neuter().toBase58().startsWith("tpub"));
    assertTrue(Bip32Node.parse(m.toBase58()).isTestnet());
  }

  @Test
  void master_seedLengthOutOfRange_throws() {
    assertThrows(IllegalArgumentException.class, () -> Bip32Node.master(new byte[15], false));
    assertThrows(IllegalArgumentException.class, () -> Bip32Node.master(new byte[65], false));
  }

  @Test
  void child_publicDerivation_matchesPrivateDerivation() {
    Bip32Node acct = Bip32Node.master(SEED, false).derive(Bip32Path.parse("m/44'/0'/0'"));
    Bip32Node viaPublic = acct.neuter().derive(Bip32Path.parse("m/0/5/2000000000"));
    Bip32Node viaPrivate = acct.derive(Bip32Path.parse("m/0/5/2000000000")).neuter();
    assertArrayEquals(viaPrivate.serialize(), viaPublic.serialize());
  }

  @Test
  void child_hardenedFromPublic_throws() {
    Bip32Node pub = Bip32Node.master(SEED, false).neuter();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pub.child(0x80000000));
    assertTrue(e.getMessage().contains("hardened"), e.getMessage());
  }

  @Test
  void child_atDepth255_throws() {
    Bip32Node deep = Bip32Node.master(SEED, false).derive(new int[255]);
    assertEquals(255, deep.depth());
    assertThrows(IllegalArgumentException.class, () -> deep.child(0));
  }

  @Test
  void parse_megabyteString_throwsIllegalArgumentBeforeDecoding() {
    String hostile = "2".repeat(1 << 20);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(5), () -> Bip32Node.parse(hostile)));
    assertEquals("extended key is 1048576 characters long; a BIP32 xprv/xpub has 111", e.getMessage());
  }

  @Test
  void destroy_wipesAndRefusesUse() {
    Bip32Node m = Bip32Node.master(SEED, false);
    m.destroy();
    assertTrue(m.isDestroyed());
    assertThrows(IllegalStateException.class, m::toBase58);
    assertThrows(IllegalStateException.class, () -> m.child(1));
    assertThrows(IllegalStateException.class, m::privateKeyBytes);
  }
}
