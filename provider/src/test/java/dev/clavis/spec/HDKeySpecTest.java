package dev.clavis.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.Mnemonic;
import dev.clavis.hd.Network;
import dev.clavis.provider.ClavisProvider;
import java.security.KeyFactory;
import org.junit.jupiter.api.Test;

class HDKeySpecTest {

  @Test
  void seedConstructor_copiesTheSeedInAndOut() {
    byte[] seed = new byte[16];
    seed[0] = 5;
    HDKeySpec s = new HDKeySpec(seed, "m/1");
    seed[0] = 9;
    assertEquals(5, s.getSeed()[0], "the spec keeps its own copy");
    s.getSeed()[0] = 7;
    assertEquals(5, s.getSeed()[0], "getSeed returns a copy");
    assertEquals(Network.MAINNET, s.getNetwork());
    assertNull(s.getExtendedKey());
  }

  @Test
  void clearSeed_wipesTheCopy() {
    HDKeySpec s = new HDKeySpec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "m");
    s.clearSeed();
    assertArrayEquals(new byte[16], s.getSeed());
  }

  @Test
  void toString_hidesTheSecret() {
    HDKeySpec s = new HDKeySpec("xprvSECRET", "m/0");
    assertFalse(s.toString().contains("SECRET"));
    assertEquals("m/0", s.getPath());
  }

  @Test
  void constructors_nullArguments_throw() {
    assertThrows(NullPointerException.class, () -> new HDKeySpec((byte[]) null, "m"));
    assertThrows(NullPointerException.class, () -> new HDKeySpec(new byte[16], null));
    assertThrows(NullPointerException.class, () -> new HDKeySpec((String) null, "m"));
  }

  @Test
  void fromMnemonic_feedsTheKeyFactory() throws Exception {
    // A BIP39 vector (Trezor's), passphrase TREZOR: the root xprv.
    Mnemonic m = Mnemonic.parse("legal winner thank year wave sausage worth useful legal winner thank yellow");
    KeyFactory kf = KeyFactory.getInstance("BIP32", new ClavisProvider());
    ExtendedPrivateKey k = (ExtendedPrivateKey) kf.generatePrivate(HDKeySpec.fromMnemonic(m, "TREZOR", "m"));
    assertEquals("xprv9s21ZrQH143K2gA81bYFHqU68xz1cX2APaSq5tt6MFSLeXnCKV1RVUJt9FWNTbrrryem4ZckN8k4Ls1H6nwdvDTvnV7zEXs2HgPezuVccsq",
        k.toBase58());
    assertThrows(NullPointerException.class, () -> HDKeySpec.fromMnemonic(null, "", "m"));
  }
}
