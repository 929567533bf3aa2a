package dev.clavis.pkcs11;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Sessions on one token, shared by threads: each call borrows a logged-in session, runs, and gives
 * it back (as SunPKCS11's {@code SessionManager} does). When the module reports the session or the
 * login lost ({@code CKR_SESSION_HANDLE_INVALID}, {@code CKR_SESSION_CLOSED},
 * {@code CKR_DEVICE_REMOVED}, {@code CKR_TOKEN_NOT_PRESENT}, {@code CKR_USER_NOT_LOGGED_IN}), the
 * pool drops every session opened before the loss, opens a new one, logs in again (once for all
 * threads) and retries the call. A wrong PIN is never retried: {@code C_Login} runs once per loss.
 */
public final class SessionPool implements AutoCloseable {

  /** How often one call is retried after a lost session before the failure is reported. */
  private static final int MAX_RECOVERIES = 3;

  /** One operation on a borrowed session. */
  @FunctionalInterface
  public interface SessionCall<T> {
    /** Runs on a logged-in session owned by the calling thread until it returns. */
    T apply(Session session) throws Pkcs11Exception;
  }

  private final Pkcs11Module module;
  private final long slotId;
  private final MaskedPin pin;
  private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();
  private final Object loginLock = new Object();
  private long loggedInEpoch = -1;
  private volatile boolean closed;

  /**
   * Opens a session and logs the user in, once. The PIN is copied (masked) for re-login after a
   * lost session; the caller wipes its array.
   *
   * @throws Pkcs11Exception {@code CKR_PIN_INCORRECT} after exactly one {@code C_Login}, or any
   *     other failure to open a session or log in
   */
  public SessionPool(Pkcs11Module module, long slotId, char[] pin) throws Pkcs11Exception {
    this.module = module;
    this.slotId = slotId;
    this.pin = new MaskedPin(pin);
    try {
      relogin(module.epoch(slotId));
    } catch (Pkcs11Exception e) {
      this.pin.wipe();
      throw e;
    }
  }

  /** @return the module */
  public Pkcs11Module module() {
    return module;
  }

  /** @return the slot */
  public long slotId() {
    return slotId;
  }

  /**
   * @return a counter that moves when sessions were lost; object handles read before a move may
   *     be stale (some modules renumber objects after {@code C_CloseAllSessions})
   */
  public long epoch() {
    return module.epoch(slotId);
  }

  /**
   * Runs {@code call} on a borrowed session, recovering lost sessions and logins.
   *
   * @throws Pkcs11Exception what the call threw, or the recovery's own failure
   */
  public <T> T call(SessionCall<T> call) throws Pkcs11Exception {
    for (int attempt = 0; ; attempt++) {
      Session s = borrow();
      java.util.concurrent.locks.Lock lock = module.callLock();
      lock.lock();
      try {
        T result = call.apply(s);
        release(s);
        return result;
      } catch (Pkcs11Exception e) {
        boolean lost = e.isSessionLost() || (e.isHandleStale() && loggedOut(s));
        if (!lost || attempt >= MAX_RECOVERIES) {
          release(s);
          throw e;
        }
        // The session (and with it, maybe, the login) is gone: never close the dead handle, a
        // module may have reused the number already.
        long epoch = module.advanceEpoch(slotId, s.epoch());
        relogin(epoch);
      } catch (RuntimeException | Error e) {
        release(s);
        throw e;
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Private objects vanish from a session that lost its login (another component of the process
   * called {@code C_CloseAllSessions} or {@code C_Logout}); their handles then read as invalid.
   */
  private static boolean loggedOut(Session s) {
    try {
      return !s.isLoggedIn();
    } catch (Pkcs11Exception e) {
      return e.isSessionLost();
    }
  }

  private Session borrow() throws Pkcs11Exception {
    if (closed) {
      throw new IllegalStateException("the session pool of slot " + slotId + " is closed");
    }
    long epoch = module.epoch(slotId);
    if (loginEpoch() < epoch) {
      relogin(epoch); // sessions were closed through this module: log in before using a new one
    }
    Session s;
    while ((s = idle.pollFirst()) != null) {
      if (s.epoch() == epoch) {
        return s;
      }
      s.close(); // opened before a loss: stale or logged out
    }
    return module.openSession(slotId, true);
  }

  private void release(Session s) {
    if (closed || s.epoch() != module.epoch(slotId)) {
      s.close();
    } else {
      idle.offerFirst(s);
    }
  }

  private long loginEpoch() {
    synchronized (loginLock) {
      return loggedInEpoch;
    }
  }

  /**
   * Logs in again for {@code epoch}, once for all threads; {@code CKR_USER_ALREADY_LOGGED_IN} is
   * fine. Holds the module's call lock so sessions cannot be closed between the open and the
   * login; a session lost anyway is retried, a wrong PIN never is.
   */
  private void relogin(long epoch) throws Pkcs11Exception {
    java.util.concurrent.locks.Lock lock = module.callLock();
    lock.lock();
    try {
      synchronized (loginLock) {
        for (int attempt = 0; ; attempt++) {
          if (loggedInEpoch >= epoch) {
            return;
          }
          Session s = module.openSession(slotId, true);
          try {
            module.login(s, pin.reveal());
          } catch (Pkcs11Exception e) {
            if (e.isSessionLost() && attempt < MAX_RECOVERIES) {
              epoch = Math.max(epoch, module.advanceEpoch(slotId, s.epoch()));
              continue; // the new session died before the login: never close its number
            }
            s.close();
            throw e;
          }
          loggedInEpoch = Math.max(epoch, s.epoch());
          idle.offerFirst(s);
          return;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Closes the idle sessions and forgets the PIN; sessions in use close when given back. */
  @Override
  public void close() {
    closed = true;
    Session s;
    while ((s = idle.pollFirst()) != null) {
      s.close();
    }
    pin.wipe();
  }

  @Override
  public String toString() {
    return "SessionPool{slot=" + slotId + ", idle=" + idle.size() + ", " + pin + "}";
  }
}
