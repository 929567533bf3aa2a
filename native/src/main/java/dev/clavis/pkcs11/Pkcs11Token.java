package dev.clavis.pkcs11;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A token selected by a {@link Pkcs11Config}, logged in, with its session pool and the mechanisms
 * it reports. Thread-safe. Opening fails closed: a missing library, a library that is not PKCS#11,
 * a token label that matches nothing and a wrong PIN are each an exception naming the problem.
 */
public final class Pkcs11Token implements AutoCloseable {

  private final Pkcs11Config config;
  private final Pkcs11Module module;
  private final TokenInfo info;
  private final long[] mechanisms;
  private final SessionPool pool;

  private Pkcs11Token(Pkcs11Config config, Pkcs11Module module, TokenInfo info, long[] mechanisms, SessionPool pool) {
    this.config = config;
    this.module = module;
    this.info = info;
    this.mechanisms = mechanisms;
    this.pool = pool;
  }

  /**
   * Loads the module, finds the token and logs in once.
   *
   * @param pin the PIN; wiped before this returns
   * @throws Pkcs11Exception if the module will not load or the login fails
   * @throws Pkcs11ConfigException if no token matches the configuration
   */
  public static Pkcs11Token open(Pkcs11Config config, char[] pin) throws Pkcs11Exception, Pkcs11ConfigException {
    try {
      Pkcs11Module module = Pkcs11Module.open(config.library());
      TokenInfo info = select(config, module);
      long[] mechanisms = module.mechanisms(info.slotId());
      SessionPool pool = new SessionPool(module, info.slotId(), pin);
      return new Pkcs11Token(config, module, info, mechanisms, pool);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /**
   * Checks a configuration without logging in: loads the module and finds the token.
   *
   * @return the selected token
   * @throws Pkcs11Exception if the module will not load (missing, not PKCS#11, refuses to initialize)
   * @throws Pkcs11ConfigException if no token matches the configuration
   */
  public static TokenInfo locate(Pkcs11Config config) throws Pkcs11Exception, Pkcs11ConfigException {
    return select(config, Pkcs11Module.open(config.library()));
  }

  private static TokenInfo select(Pkcs11Config config, Pkcs11Module module) throws Pkcs11Exception, Pkcs11ConfigException {
    List<TokenInfo> tokens = module.tokens();
    String where = config.source() == null ? "" : config.source() + ": ";
    String present = tokens.isEmpty() ? "no token is present"
        : "tokens present: " + tokens.stream().map(t -> "'" + t.label() + "' (slot " + t.slotId() + ")")
            .collect(Collectors.joining(", "));
    if (config.tokenLabel() != null) {
      List<TokenInfo> match = tokens.stream().filter(t -> t.label().equals(config.tokenLabel())).collect(Collectors.toList());
      if (match.isEmpty()) {
        throw new Pkcs11ConfigException(where + "no token labelled '" + config.tokenLabel() + "' in "
            + config.library() + "; " + present);
      }
      if (match.size() > 1) {
        throw new Pkcs11ConfigException(where + match.size() + " tokens are labelled '" + config.tokenLabel()
            + "'; select one with 'slot = ID' instead (" + present + ")");
      }
      return match.get(0);
    }
    if (config.slotId().isPresent()) {
      long id = config.slotId().getAsLong();
      return tokens.stream().filter(t -> t.slotId() == id).findFirst().orElseThrow(() ->
          new Pkcs11ConfigException(where + "no token in slot " + id + " of " + config.library() + "; " + present));
    }
    int idx = config.slotListIndex();
    if (idx >= tokens.size()) {
      throw new Pkcs11ConfigException(where + "slotListIndex " + idx + " is out of range; " + present);
    }
    return tokens.get(idx);
  }

  /** @return the configuration */
  public Pkcs11Config config() { return config; }

  /** @return the module */
  public Pkcs11Module module() { return module; }

  /** @return the token's information as read when opened */
  public TokenInfo info() { return info; }

  /** @return the session pool */
  public SessionPool sessions() { return pool; }

  /** @return whether {@code C_GetMechanismList} reported the mechanism */
  public boolean offers(long mechanism) {
    for (long m : mechanisms) {
      if (m == mechanism) {
        return true;
      }
    }
    return false;
  }

  /** Runs a call on a pooled, logged-in session; see {@link SessionPool#call}. */
  public <T> T call(SessionPool.SessionCall<T> call) throws Pkcs11Exception {
    return pool.call(call);
  }

  /** Closes the pool's sessions; the module stays initialized for the process. */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "Pkcs11Token{" + config.name() + ": " + info + "}";
  }
}
