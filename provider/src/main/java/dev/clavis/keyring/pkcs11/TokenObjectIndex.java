package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.pkcs11.AttributeValues;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.CKR;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The index of key-version objects on the token: version to material (object handle and the
 * session epoch it belongs to), rebuilt from the objects' {@code CKA_ID} ({@code clavis:name#N;ALGORITHM},
 * a format this class alone reads and writes) when handles are renumbered or another process
 * committed material; and the calls with a key's current handle that re-resolve stale ones.
 */
final class TokenObjectIndex {

  private static final String ID_PREFIX = "clavis:";

  private final TokenKeyBackend backend;
  private final Pkcs11Token token;
  private final LongSupplier generation;
  private final ConcurrentHashMap<KeyRef, TokenKeyMaterial> index = new ConcurrentHashMap<>();
  private final Object indexLock = new Object();
  private volatile long indexEpoch = -1;
  private volatile long indexGeneration = -1;

  /** @param generation the committed generation, read from the token */
  TokenObjectIndex(TokenKeyBackend backend, LongSupplier generation) {
    this.backend = backend;
    this.token = backend.token();
    this.generation = generation;
  }

  /** {@code CKA_ID}: {@code clavis:name#N;ALGORITHM}, so an index can be rebuilt from the token alone. */
  static byte[] id(KeyRef ref, KeyAlgorithm alg) {
    return (ID_PREFIX + ref + ";" + alg.name()).getBytes(StandardCharsets.UTF_8);
  }

  /** @return the indexed material of a version, without a rescan */
  TokenKeyMaterial get(KeyRef version) {
    return index.get(version);
  }

  /** @return every version that has material on the token, as indexed */
  List<KeyRef> versions() {
    return new ArrayList<>(index.keySet());
  }

  /**
   * @return the material of a version, rescanning first when it is not indexed and the index may
   *     be behind (renumbered handles, or another process committed material); null if absent
   * @throws KeyringException if the rescan fails
   */
  TokenKeyMaterial lookup(KeyRef version) {
    TokenKeyMaterial m = index.get(version);
    if (m == null && (indexEpoch != token.sessions().epoch() || indexGeneration != generation.getAsLong())) {
      // Renumbered handles, or another process committed material this index has not seen.
      rescanQuietly();
      m = index.get(version);
    }
    return m;
  }

  /**
   * Reads every Clavis key object, and trusted-certificate object, on the token into the index
   * (handles change across logins on some modules).
   */
  void rescan() throws Pkcs11Exception {
    synchronized (indexLock) {
      long epoch = token.sessions().epoch();
      long generation = this.generation.getAsLong();
      Map<KeyRef, Object[]> found = token.call(s -> {
        Map<KeyRef, Object[]> out = new HashMap<>();
        for (long h : keyObjects(s)) {
          AttributeValues v;
          try {
            v = s.getAttributes(h, CKA.ID, CKA.SENSITIVE, CKA.ENCRYPT, CKA.WRAP, CKA.DECRYPT,
                CKA.UNWRAP, CKA.SIGN, CKA.VERIFY);
          } catch (Pkcs11Exception e) {
            if (e.isHandleStale()) {
              // another process destroyed it between the search and this read (the objects of a
              // transaction that lost its race, a destroyed version): it is no version of ours now
              continue;
            }
            throw e;
          }
          Object[] parsed = parseId(v.string(CKA.ID).orElse(""));
          if (parsed == null || parsed[1] == KeyAlgorithm.CERTIFICATE) {
            continue;
          }
          KeyAlgorithm alg = (KeyAlgorithm) parsed[1];
          out.put((KeyRef) parsed[0], new Object[] {h, alg, v.bool(CKA.SENSITIVE).orElse(true),
              TokenStateAttributes.usageOf(v, alg)});
        }
        trustedCertificates(s, out);
        if (!s.isLoggedIn()) {
          // The login was lost during the search (sessions closed elsewhere): private objects were
          // invisible, so this result is incomplete. Reported as a lost login, the pool logs in
          // again and repeats the scan.
          throw new Pkcs11Exception("C_FindObjects", CKR.USER_NOT_LOGGED_IN, CKR.name(CKR.USER_NOT_LOGGED_IN));
        }
        return out;
      });
      index.keySet().retainAll(found.keySet());
      found.forEach((ref, x) -> {
        TokenKeyMaterial m = index.get(ref);
        if (m == null) {
          m = new TokenKeyMaterial(backend, ref, (KeyAlgorithm) x[1], !(Boolean) x[2], (Long) x[0], epoch);
          index.put(ref, m);
        } else {
          m.handle = (Long) x[0];
          m.epoch = epoch;
        }
        m.usage = (Integer) x[3];
      });
      indexEpoch = epoch;
      indexGeneration = generation;
    }
  }

  /**
   * @return {@code {KeyRef, KeyAlgorithm}} of a Clavis version object's {@code CKA_ID}, or null
   *     for an object that is not one
   */
  private static Object[] parseId(String id) {
    int semi = id.lastIndexOf(';');
    if (!id.startsWith(ID_PREFIX) || semi < 0) {
      return null;
    }
    try {
      KeyRef ref = KeyRef.parse(id.substring(ID_PREFIX.length(), semi));
      KeyAlgorithm alg = KeyAlgorithm.valueOf(id.substring(semi + 1));
      return ref.version().isEmpty() ? null : new Object[] {ref, alg};
    } catch (IllegalArgumentException e) {
      return null; // not one of ours after all
    }
  }

  /** Adds the trusted-certificate versions ({@link TokenTrustedCertificates}): private objects, no usage attributes. */
  private static void trustedCertificates(dev.clavis.pkcs11.Session s, Map<KeyRef, Object[]> out)
      throws Pkcs11Exception {
    for (long h : TokenTrustedCertificates.objects(s)) {
      String id;
      try {
        id = s.getAttributes(h, CKA.ID).string(CKA.ID).orElse("");
      } catch (Pkcs11Exception e) {
        if (e.isHandleStale()) {
          continue; // destroyed by another process between the search and this read
        }
        throw e;
      }
      Object[] parsed = parseId(id);
      if (parsed != null && parsed[1] == KeyAlgorithm.CERTIFICATE) {
        out.put((KeyRef) parsed[0], new Object[] {h, KeyAlgorithm.CERTIFICATE, true, -1});
      }
    }
  }

  /** @return the token's private secret-key and private-key (key pair) objects */
  private static long[] keyObjects(dev.clavis.pkcs11.Session s) throws Pkcs11Exception {
    long[] secret = s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).bool(CKA.TOKEN, true)
        .bool(CKA.PRIVATE, true).build());
    long[] pairs = s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY).bool(CKA.TOKEN, true)
        .bool(CKA.PRIVATE, true).build());
    long[] all = java.util.Arrays.copyOf(secret, secret.length + pairs.length);
    System.arraycopy(pairs, 0, all, secret.length, pairs.length);
    return all;
  }

  private void rescanQuietly() {
    try {
      rescan();
    } catch (Pkcs11Exception e) {
      throw new KeyringException("cannot index the keys on " + backend.describe() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes in what a commit from generation {@code latest} to {@code next} changed: its new
   * material is indexed, its erased versions leave the index and their objects are destroyed.
   */
  void committed(long latest, long next, List<TokenKeyMaterial> created, List<KeyRef> erased) {
    if (indexGeneration == latest) {
      indexGeneration = next; // the index already holds everything this commit changed
    }
    for (TokenKeyMaterial m : created) {
      index.put(m.ref(), m);
    }
    for (KeyRef ref : erased) {
      TokenKeyMaterial m = index.remove(ref);
      if (m != null) {
        destroyQuietly(m);
      }
    }
  }

  /** Destroys a key object; a failure is left to the orphan sweep of the next open. */
  void destroyQuietly(TokenKeyMaterial m) {
    try {
      backend.withKey(m, "destroy", (s, h) -> {
        s.destroyObject(h);
        if (m.algorithm().isKeyPair()) {
          for (long c : TokenKeyPairs.chainObjects(s, id(m.ref(), m.algorithm()))) {
            s.destroyObject(c);
          }
          for (long c : TokenKeyPairs.publicKeys(s, id(m.ref(), m.algorithm()))) {
            s.destroyObject(c);
          }
        }
        return null;
      });
    } catch (GeneralSecurityException | KeyringException e) {
      // Already gone (another process erased it) or the token refuses: the metadata is committed
      // as DESTROYED either way, and the next open retries through the orphan sweep.
    }
  }

  /**
   * Runs an operation with a key's current handle on a pooled session. Lost sessions are
   * recovered by the pool; a stale handle (renumbered after a lost login) is re-resolved once.
   *
   * @throws GeneralSecurityException the token's refusal or failure, with its {@code CKR_} name
   */
  <T> T withKey(TokenKeyMaterial m, String what, TokenKeyBackend.KeyCall<T> op) throws GeneralSecurityException {
    for (int attempt = 0; ; attempt++) {
      if (m.epoch != token.sessions().epoch()) {
        rescanQuietly();
      }
      long h = m.handle;
      try {
        return token.call(s -> op.apply(s, h));
      } catch (Pkcs11Exception e) {
        // Handles may be renumbered more than once while sessions keep being closed elsewhere.
        if (e.isHandleStale() && attempt < 3) {
          rescanQuietly();
          if (!index.containsKey(m.ref())) {
            throw new TokenKeyMaterial.TokenOperationException("the material of " + m.ref()
                + " is no longer on " + backend.describe() + " (destroyed by another process?)", e);
          }
          continue;
        }
        if (e.returnValue() == CKR.KEY_FUNCTION_NOT_PERMITTED) {
          throw new TokenKeyMaterial.TokenRefusedException("the token refused to " + what + " with " + m.ref()
              + ": its attributes forbid it (" + e.returnValueName() + "); the version's lifecycle state does not allow this use", e);
        }
        throw new TokenKeyMaterial.TokenOperationException("the token failed to " + what + " with " + m.ref()
            + ": " + e.getMessage(), e);
      }
    }
  }
}
