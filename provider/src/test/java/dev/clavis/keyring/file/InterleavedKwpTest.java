package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.*;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class InterleavedKwpTest {

  static final HexFormat HEX = HexFormat.of();

  @Test
  void wrap_rfc5649Vectors() throws Exception {
    // RFC 5649 §6: KEK 5840df6e29b02af1 !5a.. (192-bit), 20-octet and 7-octet keys
    byte[] kek = HEX.parseHex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8");
    byte[] k20 = HEX.parseHex("c37b7e6492584340bed12207808941155068f738");
    byte[] k7 = HEX.parseHex("466f7250617369");
    List<byte[]> w = InterleavedKwp.wrapAll(kek, List.of(k20, k7));
    assertEquals("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a", HEX.formatHex(w.get(0)));
    assertEquals("afbeb0f07dfbf5419200f2ccb50bb24f", HEX.formatHex(w.get(1)));
    List<byte[]> u = InterleavedKwp.unwrapAll(kek, w);
    assertArrayEquals(k20, u.get(0));
    assertArrayEquals(k7, u.get(1));
  }

  @Test
  void wrapAll_matchesSunJceKwp_forManyLengths() throws Exception {
    SecureRandom r = new SecureRandom();
    byte[] kek = new byte[32];
    r.nextBytes(kek);
    List<byte[]> keys = new ArrayList<>();
    for (int len = 1; len <= 70; len++) {
      byte[] k = new byte[len];
      r.nextBytes(k);
      keys.add(k);
      keys.add(k.clone());
    }
    List<byte[]> mine = InterleavedKwp.wrapAll(kek, keys);
    Cipher sun = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
    for (int i = 0; i < keys.size(); i++) {
      sun.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
      assertArrayEquals(sun.doFinal(keys.get(i)), mine.get(i), "length " + keys.get(i).length);
    }
    List<byte[]> back = InterleavedKwp.unwrapAll(kek, mine);
    for (int i = 0; i < keys.size(); i++) {
      assertArrayEquals(keys.get(i), back.get(i));
    }
  }

  @Test
  void unwrapAll_tamperedEntry_throwsNamingIt_andReleasesNothing() throws Exception {
    byte[] kek = new byte[16];
    List<byte[]> w = new ArrayList<>(InterleavedKwp.wrapAll(kek, List.of(new byte[32], new byte[32], new byte[5])));
    w.get(1)[3] ^= 1;
    AEADBadTagException e = assertThrows(AEADBadTagException.class, () -> InterleavedKwp.unwrapAll(kek, w));
    assertTrue(e.getMessage().contains("wrapped key 1"), e.getMessage());
    byte[] wrongKek = new byte[16];
    wrongKek[0] = 1;
    assertThrows(AEADBadTagException.class, () -> InterleavedKwp.unwrapAll(wrongKek, List.of(w.get(2))));
    assertThrows(AEADBadTagException.class, () -> InterleavedKwp.unwrapAll(kek, List.of(new byte[12])));
  }
}
