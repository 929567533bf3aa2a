package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.spi.KeyBackend.Snapshot;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Session;
import dev.clavis.pkcs11.Template;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keyring head and the metadata documents on the token: finding the head (by its cached
 * handle, or by a search), resolving and repairing duplicate heads, reading the committed
 * metadata, and the object writes of a commit (new document, the head's move, the old document's
 * removal). It alone knows the {@code CKA_APPLICATION} and {@code CKA_LABEL} layout of these
 * {@code CKO_DATA} objects; the commit loop around it is {@link TokenKeyBackend}'s.
 */
final class TokenHeads {

  static final String APP_HEAD = "dev.clavis.keyring.head";
  static final String APP_METADATA = "dev.clavis.keyring.metadata";

  private static final System.Logger LOG = System.getLogger("dev.clavis.keyring.pkcs11");

  private final TokenKeyBackend backend;
  private final Pkcs11Token token;
  private volatile long headHandle = -1;
  private volatile long headEpoch = -1;
  private volatile Snapshot cached = new Snapshot(0, new byte[0]);
  /** The metadata object of {@link #cached}: {generation, handle, epoch}, to skip a search at commit. */
  private volatile long[] cachedDoc = {-1, -1, -1};
  private final AtomicInteger headRepairs = new AtomicInteger();
  private final ConcurrentLinkedQueue<Map<String, String>> repairs = new ConcurrentLinkedQueue<>();

  TokenHeads(TokenKeyBackend backend) {
    this.backend = backend;
    this.token = backend.token();
  }

  private static String headLabel(long generation) {
    return "clavis keyring generation " + generation;
  }

  private static String metadataLabel(long generation) {
    return "clavis keyring metadata " + generation;
  }

  private static long parseGeneration(String label) {
    int sp = label == null ? -1 : label.lastIndexOf(' ');
    try {
      return sp < 0 ? -1 : Long.parseLong(label.substring(sp + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Every search of Clavis's objects asks for private ones: Clavis creates them all private, and a
   * public token object can be created by a session that never logged in (PKCS#11 v2.40 §4.4), so
   * a public head, metadata document, key version or audit key would be one planted without the PIN.
   */
  static Template findData(String application) {
    return Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true).bool(CKA.PRIVATE, true)
        .bytes(CKA.APPLICATION, application.getBytes(StandardCharsets.UTF_8)).build();
  }

  /** @return how many head objects the token holds (more than one needs a repair) */
  int count(Session s) throws Pkcs11Exception {
    return s.findObjects(findData(APP_HEAD)).length;
  }

  /** The committed generation, from the head's label; 0 when the token holds no keyring yet. */
  long readGeneration(Session s) throws Pkcs11Exception {
    long h = headHandle;
    if (h >= 0 && headEpoch == token.sessions().epoch()) {
      try {
        long g = parseGeneration(s.getString(h, CKA.LABEL));
        if (g >= 0) {
          return g;
        }
      } catch (Pkcs11Exception e) {
        if (!e.isHandleStale()) {
          throw e;
        }
      }
    }
    return resolveHeads(s, false);
  }

  /**
   * Searches the head objects. More than one (a race with a writer that did not take the lock) is
   * resolved to the head of the highest generation whose metadata document is on the token
   * exactly once; with {@code repair} (only under the commit lock) the others are destroyed.
   *
   * @return the committed generation, 0 when there is no head
   * @throws KeyringException if the head (or every one of several heads) is damaged
   */
  long resolveHeads(Session s, boolean repair) throws Pkcs11Exception {
    long epoch = token.sessions().epoch();
    long[] heads = s.findObjects(findData(APP_HEAD));
    if (heads.length == 0) {
      headHandle = -1;
      return 0;
    }
    if (heads.length == 1) {
      long g = parseGeneration(s.getString(heads[0], CKA.LABEL));
      if (g < 0) {
        throw new KeyringException("the keyring head on " + backend.describe() + " has a damaged label");
      }
      headHandle = heads[0];
      headEpoch = epoch;
      return g;
    }
    long best = -1;
    long bestGeneration = -1;
    long[] generations = new long[heads.length];
    for (int i = 0; i < heads.length; i++) {
      long g = parseGeneration(s.getString(heads[i], CKA.LABEL));
      generations[i] = g;
      // A head counts only if it names a generation whose document is there, once: a forged or
      // half-written head cannot win by naming a higher number.
      if (g > bestGeneration && g > 0 && metadataDocs(s, g).length == 1) {
        best = heads[i];
        bestGeneration = g;
      }
    }
    if (best < 0) {
      throw new KeyringException(backend.describe() + " holds " + heads.length + " keyring heads (" + APP_HEAD
          + ") and none names a metadata document that is on the token exactly once; the keyring cannot be"
          + " repaired automatically");
    }
    if (repair) {
      for (int i = 0; i < heads.length; i++) {
        if (heads[i] != best) {
          s.destroyObject(heads[i]);
        }
      }
      headRepairs.incrementAndGet();
      List<Long> destroyed = new ArrayList<>();
      for (int i = 0; i < heads.length; i++) {
        if (heads[i] != best) {
          destroyed.add(generations[i]);
        }
      }
      repairs.add(Map.of("what", "surplus keyring heads destroyed", "heads", Integer.toString(heads.length),
          "kept-generation", Long.toString(bestGeneration), "destroyed-generations", destroyed.toString()));
      LOG.log(System.Logger.Level.WARNING, "repaired " + backend.describe() + ": it held " + heads.length
          + " keyring heads; kept the one of generation " + bestGeneration + ", destroyed the others (generations "
          + Arrays.toString(generations) + ")");
    }
    headHandle = best;
    headEpoch = epoch;
    return bestGeneration;
  }

  private static Template metadataTemplate(long generation) {
    return Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true)
        .bool(CKA.PRIVATE, true).bytes(CKA.APPLICATION, APP_METADATA.getBytes(StandardCharsets.UTF_8))
        .string(CKA.LABEL, metadataLabel(generation)).build();
  }

  private static long[] metadataDocs(Session s, long g) throws Pkcs11Exception {
    return s.findObjects(metadataTemplate(g));
  }

  /** @return the repairs made since the last call, as audit details (what, heads, generations), and forgets them */
  List<Map<String, String>> drainRepairs() {
    List<Map<String, String>> out = new ArrayList<>();
    Map<String, String> r;
    while ((r = repairs.poll()) != null) {
      out.add(r);
    }
    return out;
  }

  /** @return how often surplus heads were destroyed */
  int headRepairs() {
    return headRepairs.get();
  }

  /**
   * @return the committed state: the cached one while the head names its generation, else the
   *     metadata document the head names
   * @throws KeyringException if that document is missing, duplicated or unreadable
   */
  Snapshot read(Session s) throws Pkcs11Exception {
    long g = readGeneration(s);
    Snapshot c = cached;
    if (c.generation() == g) {
      return c;
    }
    Snapshot fresh = g == 0 ? new Snapshot(0, new byte[0]) : new Snapshot(g, readMetadata(s, g));
    cached = fresh;
    return fresh;
  }

  private byte[] readMetadata(Session s, long g) throws Pkcs11Exception {
    long[] docs = metadataDocs(s, g);
    if (docs.length != 1) {
      throw new KeyringException("the keyring metadata of generation " + g + " is " + (docs.length == 0
          ? "missing" : "duplicated") + " on " + backend.describe() + "; the token was changed outside Clavis");
    }
    cachedDoc = new long[] {g, docs[0], token.sessions().epoch()};
    return s.getAttributes(docs[0], CKA.VALUE).bytes(CKA.VALUE)
        .orElseThrow(() -> new KeyringException("the keyring metadata on " + backend.describe() + " cannot be read"));
  }

  /**
   * The object writes of a commit: the metadata document of generation {@code latest + 1}, the
   * head moved to it (created on the first commit) and the document of {@code latest} destroyed.
   *
   * @param latest the generation the transaction read
   * @throws LostRaceException if the head moved since (the new document is destroyed again)
   */
  void publish(Session s, long latest, byte[] metadata) throws Pkcs11Exception {
    long next = latest + 1;
    long doc = s.createObject(Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true)
        .bool(CKA.PRIVATE, true).bool(CKA.MODIFIABLE, true)
        .bytes(CKA.APPLICATION, APP_METADATA.getBytes(StandardCharsets.UTF_8))
        .string(CKA.LABEL, metadataLabel(next)).bytes(CKA.VALUE, metadata).build());
    // Optimistic check: nobody committed since we read (PKCS#11 has no compare-and-set).
    long now = readGeneration(s);
    if (now != latest) {
      s.destroyObject(doc);
      throw new LostRaceException("another process changed the keyring on " + backend.describe()
          + " at the same moment (generation " + latest + " became " + now + ")");
    }
    if (now == 0) {
      long head = s.createObject(Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true)
          .bool(CKA.PRIVATE, true).bool(CKA.MODIFIABLE, true)
          .bytes(CKA.APPLICATION, APP_HEAD.getBytes(StandardCharsets.UTF_8))
          .string(CKA.LABEL, headLabel(next)).bytes(CKA.VALUE, "Clavis keyring head".getBytes(StandardCharsets.UTF_8))
          .build());
      headHandle = head;
      headEpoch = token.sessions().epoch();
    } else {
      // The commit point: the head names the new generation.
      s.setAttributes(headHandle, Template.builder().string(CKA.LABEL, headLabel(next)).build());
      long[] known = cachedDoc;
      boolean destroyed = false;
      if (known[0] == latest && known[2] == token.sessions().epoch()) {
        try {
          s.destroyObject(known[1]);
          destroyed = true;
        } catch (Pkcs11Exception e) {
          if (!e.isHandleStale()) {
            throw e;
          }
        }
      }
      if (!destroyed) {
        for (long old : s.findObjects(metadataTemplate(latest))) {
          s.destroyObject(old);
        }
      }
    }
    cachedDoc = new long[] {next, doc, token.sessions().epoch()};
  }

  /** Caches the state a commit published, so the next read costs one attribute read. */
  void committed(long generation, byte[] metadata) {
    cached = new Snapshot(generation, metadata);
  }
}
