package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class GcmIvSourceTest {

  @Test
  void start_drawsA96BitIv_keysTheOperationWithIt_andNeverRepeatsInTenThousandDraws() throws Exception {
    try (KeyringEngine ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1)),
        Clock.systemUTC(), Duration.ZERO)) {
      ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().exportable(true).build());
      KeyMaterial m = ring.protect(KeyRef.of("k"), 1).material();
      GcmIvSource.Encryption e = GcmIvSource.start(m, 128);
      assertEquals(GcmIvSource.IV_BYTES, e.iv().length);
      byte[] pt = "x".getBytes();
      byte[] ct = new byte[pt.length + 16];
      e.operation().doFinal(pt, 0, pt.length, ct, 0);
      Cipher sun = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
      sun.init(Cipher.DECRYPT_MODE, new SecretKeySpec(ring.exportKey(KeyRef.of("k", 1)), "AES"),
          new GCMParameterSpec(128, e.iv()));
      assertArrayEquals(pt, sun.doFinal(ct));
      byte[] copy = e.iv();
      copy[0] ^= 1;
      assertFalse(java.util.Arrays.equals(copy, e.iv()), "iv() hands out a copy");
      Set<ByteBuffer> seen = new HashSet<>();
      for (int i = 0; i < 10_000; i++) {
        assertTrue(seen.add(ByteBuffer.wrap(GcmIvSource.start(m, 128).iv())), "IV repeated after " + i);
      }
    }
  }

  /**
   * Reuse is impossible by construction only while every GCM encryption under managed material
   * starts in {@link GcmIvSource}: no other main source may call {@code startGcm} to encrypt.
   */
  @Test
  void noMainSourceButGcmIvSource_startsAGcmEncryption() throws Exception {
    java.nio.file.Path main = java.nio.file.Path.of("src/main/java");
    assertTrue(java.nio.file.Files.isDirectory(main), "run from the provider module");
    java.util.regex.Pattern call = java.util.regex.Pattern.compile("\\.startGcm\\(\\s*([^,]+),");
    java.util.List<String> offenders = new java.util.ArrayList<>();
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(main)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
        if (f.getFileName().toString().equals("GcmIvSource.java")) {
          continue;
        }
        java.util.regex.Matcher m = call.matcher(java.nio.file.Files.readString(f));
        while (m.find()) {
          if (!m.group(1).trim().equals("false")) {
            offenders.add(f + ": startGcm(" + m.group(1) + ", ...)");
          }
        }
      }
    }
    assertTrue(offenders.isEmpty(), "GCM encryptions started outside GcmIvSource: " + offenders);
  }
}
