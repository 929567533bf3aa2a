package dev.clavis.pkcs11;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.ptr.NativeLongByReference;
import dev.clavis.pkcs11.raw.CK_C_INITIALIZE_ARGS;
import dev.clavis.pkcs11.raw.CK_INFO;
import dev.clavis.pkcs11.raw.CK_MECHANISM_INFO;
import dev.clavis.pkcs11.raw.CK_TOKEN_INFO;
import dev.clavis.pkcs11.raw.Cryptoki;
import dev.clavis.pkcs11.raw.FunctionListCryptoki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A loaded, initialized PKCS#11 module. Cryptoki is initialized once per process (PKCS#11 v2.40
 * §5.4), so there is one instance per library file: {@link #open(Path)} returns it. Clavis calls
 * {@code C_Initialize} with {@code CKF_OS_LOCKING_OK} and, if it was the one to initialize the
 * module, {@code C_Finalize} from a shutdown hook at JVM exit. If another component of the process
 * (such as SunPKCS11) initialized the module first, Clavis shares it and leaves finalization to it.
 */
public final class Pkcs11Module {

  private static final Map<Path, Pkcs11Module> MODULES = new ConcurrentHashMap<>();
  private static final Object LOCK = new Object();
  private static boolean hookInstalled;

  private final Cryptoki ck;
  private final String library;
  private final boolean ownsInitialization;
  private final Map<Long, AtomicLong> epochs = new ConcurrentHashMap<>();
  private final Map<Long, PinVerifier> verifiers = new ConcurrentHashMap<>();
  /**
   * Calls made through pools hold the read side; {@link #closeAllSessions} takes the write side.
   * SoftHSM 2.6.1 frees sessions in {@code C_CloseAllSessions} while other threads may still be
   * inside a call on them (a use-after-free that aborts the JVM), so Clavis waits for its own
   * calls in flight; the sessions are still invalidated and the pools recover.
   */
  private final ReentrantReadWriteLock callLock = new ReentrantReadWriteLock();
  private volatile boolean finalized;

  Pkcs11Module(Cryptoki ck, String library, boolean ownsInitialization) {
    this.ck = ck;
    this.library = library;
    this.ownsInitialization = ownsInitialization;
  }

  /**
   * Loads and initializes the module at {@code library}, or returns the instance already open.
   *
   * @throws Pkcs11Exception naming the file when it does not exist, cannot be loaded, is not a
   *     PKCS#11 module (no {@code C_GetFunctionList}), or its {@code C_Initialize} fails
   */
  public static Pkcs11Module open(Path library) throws Pkcs11Exception {
    if (!Files.isRegularFile(library)) {
      throw new Pkcs11Exception("load", "PKCS#11 library " + library + " does not exist or is not a file;"
          + " set 'library' to the module's shared library (for SoftHSM2: /usr/lib/softhsm/libsofthsm2.so)", null);
    }
    Path key;
    try {
      key = library.toRealPath();
    } catch (IOException e) {
      throw new Pkcs11Exception("load", "cannot resolve PKCS#11 library path " + library + ": " + e.getMessage(), e);
    }
    synchronized (LOCK) {
      Pkcs11Module m = MODULES.get(key);
      if (m != null && !m.finalized) {
        return m;
      }
      m = load(key);
      MODULES.put(key, m);
      if (m.ownsInitialization && !hookInstalled) {
        Runtime.getRuntime().addShutdownHook(new Thread(Pkcs11Module::finalizeAll, "clavis-pkcs11-finalize"));
        hookInstalled = true;
      }
      return m;
    }
  }

  private static Pkcs11Module load(Path file) throws Pkcs11Exception {
    NativeLibrary lib;
    try {
      lib = NativeLibrary.getInstance(file.toString(), openOptions());
    } catch (UnsatisfiedLinkError e) {
      throw new Pkcs11Exception("load", "cannot load PKCS#11 library " + file
          + " (not a shared library for this platform, or a dependency is missing): " + e.getMessage(), e);
    }
    FunctionListCryptoki ck;
    try {
      ck = FunctionListCryptoki.of(lib);
    } catch (UnsatisfiedLinkError e) {
      throw new Pkcs11Exception("C_GetFunctionList", file + " is not a PKCS#11 module: it does not export"
          + " C_GetFunctionList; set 'library' to the vendor's PKCS#11 (Cryptoki) library", e);
    } catch (IllegalStateException e) {
      throw new Pkcs11Exception("C_GetFunctionList", file + " is not a usable PKCS#11 module: " + e.getMessage(), e);
    }
    CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
    args.flags = Ulong.of(CKF.OS_LOCKING_OK);
    long rv = Ulong.unsigned(ck.C_Initialize(args));
    if (rv != CKR.OK && rv != CKR.CRYPTOKI_ALREADY_INITIALIZED) {
      throw new Pkcs11Exception("C_Initialize", rv, CKR.name(rv), "module " + file + " refused to initialize"
          + (rv == CKR.GENERAL_ERROR ? " (for SoftHSM2: check SOFTHSM2_CONF and its tokendir)" : ""));
    }
    return new Pkcs11Module(ck, file.toString(), rv == CKR.OK);
  }

  /**
   * {@code RTLD_LAZY} without {@code RTLD_GLOBAL} on Linux, as SunPKCS11 and OpenSC open modules:
   * JNA's default {@code RTLD_GLOBAL} lets this module's {@code C_*} symbols interpose on those of
   * any module loaded after it, so a wrapping module (OpenSC's pkcs11-spy, a proxy) that loads the
   * real one calls itself back without end.
   */
  private static Map<String, Object> openOptions() {
    if (!com.sun.jna.Platform.isLinux()) {
      return Map.of();
    }
    return Map.of(com.sun.jna.Library.OPTION_OPEN_FLAGS, 0x1); // RTLD_LAZY | RTLD_LOCAL (0)
  }

  private static void finalizeAll() {
    for (Pkcs11Module m : MODULES.values()) {
      m.finalizeModule();
    }
  }

  /** {@code C_Finalize}, if Clavis initialized this module; later calls fail. Used at JVM exit. */
  void finalizeModule() {
    // Waits for calls in flight: finalizing under a running call crashes some modules.
    callLock.writeLock().lock();
    try {
      if (ownsInitialization && !finalized) {
        finalized = true;
        ck.C_Finalize(null);
      }
    } finally {
      callLock.writeLock().unlock();
    }
  }

  /** @return the raw interface, for callers that need a call the typed layer lacks */
  public Cryptoki raw() {
    return ck;
  }

  /** @return the library path */
  public String library() {
    return library;
  }

  /** @return whether Clavis initialized the module (and will finalize it at exit) */
  public boolean ownsInitialization() {
    return ownsInitialization;
  }

  /** @return {@code C_GetInfo}'s manufacturer and description, and the Cryptoki version */
  public String describe() throws Pkcs11Exception {
    CK_INFO info = new CK_INFO();
    Pkcs11Exception.check("C_GetInfo", Ulong.unsigned(ck.C_GetInfo(info)));
    return Session.label(info.manufacturerID) + " " + Session.label(info.libraryDescription)
        + " (Cryptoki " + info.cryptokiVersion + ", library " + info.libraryVersion + ")";
  }

  /** {@code C_GetSlotList}: @return slot IDs, only those with a token when {@code tokenPresent} */
  public long[] slots(boolean tokenPresent) throws Pkcs11Exception {
    NativeLongByReference count = new NativeLongByReference();
    byte present = (byte) (tokenPresent ? 1 : 0);
    while (true) {
      Pkcs11Exception.check("C_GetSlotList", Ulong.unsigned(ck.C_GetSlotList(present, null, count)));
      int n = (int) Ulong.unsigned(count.getValue());
      if (n == 0) {
        return new long[0];
      }
      try (Memory m = new Memory((long) n * Ulong.SIZE)) {
        long rv = Ulong.unsigned(ck.C_GetSlotList(present, m, count));
        if (rv == CKR.BUFFER_TOO_SMALL) {
          continue; // a slot appeared between the two calls
        }
        Pkcs11Exception.check("C_GetSlotList", rv);
        return Ulong.read(m, (int) Ulong.unsigned(count.getValue()));
      }
    }
  }

  /** {@code C_GetTokenInfo}. */
  public TokenInfo tokenInfo(long slotId) throws Pkcs11Exception {
    CK_TOKEN_INFO t = new CK_TOKEN_INFO();
    Pkcs11Exception.check("C_GetTokenInfo", Ulong.unsigned(ck.C_GetTokenInfo(Ulong.of(slotId), t)));
    return new TokenInfo(slotId, Session.label(t.label), Session.label(t.manufacturerID), Session.label(t.model),
        Session.label(t.serialNumber), Ulong.unsigned(t.flags));
  }

  /** @return every token present, in slot order */
  public List<TokenInfo> tokens() throws Pkcs11Exception {
    List<TokenInfo> out = new ArrayList<>();
    for (long s : slots(true)) {
      out.add(tokenInfo(s));
    }
    return out;
  }

  /** {@code C_GetMechanismList}: @return the mechanism types the token in {@code slotId} offers */
  public long[] mechanisms(long slotId) throws Pkcs11Exception {
    NativeLongByReference count = new NativeLongByReference();
    Pkcs11Exception.check("C_GetMechanismList",
        Ulong.unsigned(ck.C_GetMechanismList(Ulong.of(slotId), null, count)));
    int n = (int) Ulong.unsigned(count.getValue());
    if (n == 0) {
      return new long[0];
    }
    try (Memory m = new Memory((long) n * Ulong.SIZE)) {
      Pkcs11Exception.check("C_GetMechanismList",
          Ulong.unsigned(ck.C_GetMechanismList(Ulong.of(slotId), m, count)));
      return Ulong.read(m, (int) Ulong.unsigned(count.getValue()));
    }
  }

  /** {@code C_GetMechanismInfo}. */
  public MechanismInfo mechanismInfo(long slotId, long mechanism) throws Pkcs11Exception {
    CK_MECHANISM_INFO i = new CK_MECHANISM_INFO();
    Pkcs11Exception.check("C_GetMechanismInfo",
        Ulong.unsigned(ck.C_GetMechanismInfo(Ulong.of(slotId), Ulong.of(mechanism), i)));
    return new MechanismInfo(mechanism, Ulong.unsigned(i.ulMinKeySize), Ulong.unsigned(i.ulMaxKeySize),
        Ulong.unsigned(i.flags));
  }

  /** {@code C_OpenSession} with {@code CKF_SERIAL_SESSION} (and {@code CKF_RW_SESSION} when asked). */
  public Session openSession(long slotId, boolean readWrite) throws Pkcs11Exception {
    NativeLongByReference h = new NativeLongByReference();
    long flags = CKF.SERIAL_SESSION | (readWrite ? CKF.RW_SESSION : 0);
    Pkcs11Exception.check("C_OpenSession",
        Ulong.unsigned(ck.C_OpenSession(Ulong.of(slotId), Ulong.of(flags), null, null, h)));
    return new Session(ck, slotId, Ulong.unsigned(h.getValue()), epoch(slotId));
  }

  /**
   * {@code C_CloseAllSessions}: closes every session of this process on the slot, which also logs
   * the application out (PKCS#11 v2.40 §5.6). Pools on the slot notice and recover.
   */
  public void closeAllSessions(long slotId) throws Pkcs11Exception {
    callLock.writeLock().lock();
    try {
      epochs.computeIfAbsent(slotId, s -> new AtomicLong()).incrementAndGet();
      Pkcs11Exception.check("C_CloseAllSessions", Ulong.unsigned(ck.C_CloseAllSessions(Ulong.of(slotId))));
    } finally {
      callLock.writeLock().unlock();
    }
  }

  /** The read side of the lock {@link #closeAllSessions} takes; pools hold it around each call. */
  java.util.concurrent.locks.Lock callLock() {
    return callLock.readLock();
  }

  /**
   * {@code C_Login} for a pool. PKCS#11 logs in the whole application (v2.40 §5.6), so when it
   * already is, the token answers {@code CKR_USER_ALREADY_LOGGED_IN} without checking the PIN. The
   * PIN is then checked anyway, never sent to the token: against the salted PBKDF2 verifier of the
   * PIN this process logged in with; when another component of the process (SunPKCS11, another
   * PKCS#11 library) logged in first, against the {@link StoredPinVerifier} Clavis keeps on the
   * token; and when the token holds none either, the login is refused (fail closed).
   *
   * @param pinUtf8 wiped before this returns
   * @throws Pkcs11Exception {@code CKR_PIN_INCORRECT} for a wrong PIN, {@code CKR_USER_ALREADY_LOGGED_IN}
   *     when the PIN cannot be checked
   */
  void login(Session s, byte[] pinUtf8) throws Pkcs11Exception {
    try {
      PinVerifier v = verifiers.get(s.slotId());
      if (s.isLoggedIn()) {
        checkWhileLoggedIn(s, v, pinUtf8);
        return;
      }
      PinVerifier fresh = new PinVerifier(pinUtf8);
      if (s.login(CKU.USER, pinUtf8.clone())) {
        verifiers.put(s.slotId(), fresh); // only a PIN the token accepted becomes the reference
        StoredPinVerifier.update(s, pinUtf8);
      } else {
        // logged in by another component between the check above and C_Login
        checkWhileLoggedIn(s, v, pinUtf8);
      }
    } finally {
      java.util.Arrays.fill(pinUtf8, (byte) 0);
    }
  }

  private void checkWhileLoggedIn(Session s, PinVerifier v, byte[] pinUtf8) throws Pkcs11Exception {
    if (v != null) {
      if (!v.matches(pinUtf8)) {
        throw new Pkcs11Exception("C_Login", CKR.PIN_INCORRECT, CKR.name(CKR.PIN_INCORRECT),
            "the PIN differs from the one this process is logged in with (checked in memory, not sent to the token)");
      }
      return;
    }
    java.util.Optional<Boolean> stored = StoredPinVerifier.check(s, pinUtf8);
    if (stored.isEmpty()) {
      throw new Pkcs11Exception("C_Login", CKR.USER_ALREADY_LOGGED_IN, CKR.name(CKR.USER_ALREADY_LOGGED_IN),
          "another component of this process (such as SunPKCS11) logged the token in first, so the token did not"
          + " check the PIN, and the token holds no PIN verifier written by Clavis; Clavis refuses to open it"
          + " unchecked: open Clavis before the other library logs in (or once in a process of its own, which"
          + " records the verifier)");
    }
    if (!stored.get()) {
      throw new Pkcs11Exception("C_Login", CKR.PIN_INCORRECT, CKR.name(CKR.PIN_INCORRECT),
          "the PIN is wrong (the token was already logged in by another component of this process; the PIN was"
          + " checked against the verifier Clavis keeps on the token, not sent to it)");
    }
    verifiers.put(s.slotId(), new PinVerifier(pinUtf8));
  }

  /** @return a counter that moves whenever sessions on the slot were known to be lost */
  long epoch(long slotId) {
    return epochs.computeIfAbsent(slotId, s -> new AtomicLong()).get();
  }

  /** Records that the sessions of a slot were lost (seen by a pool). */
  long advanceEpoch(long slotId, long seen) {
    AtomicLong e = epochs.computeIfAbsent(slotId, s -> new AtomicLong());
    e.compareAndSet(seen, seen + 1);
    return e.get();
  }

  @Override
  public String toString() {
    return "PKCS#11 module " + library;
  }
}
