package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.CertificateInfo;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import java.time.Instant;

/**
 * The engine's persisted metadata of one version. Immutable; {@code with...} methods and {@link
 * #toBuilder()} copy. Build new records with {@link #builder()}, not the 17-field constructor.
 *
 * @param usageReserved the uses counted against the limit: exact uses plus the reservations still
 *     outstanding (held by live processes or left by crashed ones); the true count never exceeds it
 * @param usesSettled the part of {@code usageReserved} known exactly: uses that processes made and
 *     accounted for when they gave their unused reservations back ({@code 0 <= usesSettled <= usageReserved})
 * @param remembered the state to return to on resume or cancel-destroy, or null
 * @param certificate a key pair's own certificate's public facts, recorded when its chain is set
 *     (so listing needs no private key), or null: no key pair, destroyed, or not recorded (a store
 *     written before metadata extension 9)
 */
record VersionRecord(
    int version,
    KeyState state,
    KeyState remembered,
    KeyState rememberedBeforeDestroy,
    KeyAlgorithm algorithm,
    KeyVersionInfo.Origin origin,
    boolean exportable,
    Instant created,
    Instant activated,
    Instant deactivated,
    Instant expires,
    Instant destroyAt,
    long usageReserved,
    long usageLimit,
    String reason,
    long usesSettled,
    CertificateInfo certificate) {

  VersionRecord {
    if (usesSettled < 0 || usesSettled > usageReserved) {
      throw new IllegalArgumentException("version " + version + ": " + usesSettled + " settled uses outside 0.."
          + usageReserved + " counted");
    }
  }

  /** @return a builder with no fields set (version 0, no states, zero counts) */
  static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding this record's fields, to copy it with some changed */
  Builder toBuilder() {
    return new Builder(this);
  }

  VersionRecord withState(KeyState s, String why) {
    return toBuilder().state(s).reason(why == null ? reason : why).build();
  }

  VersionRecord withRemembered(KeyState r) {
    return toBuilder().remembered(r).build();
  }

  VersionRecord withRememberedBeforeDestroy(KeyState r) {
    return toBuilder().rememberedBeforeDestroy(r).build();
  }

  VersionRecord withTimes(Instant act, Instant deact, Instant exp, Instant destroy) {
    return toBuilder().activated(act).deactivated(deact).expires(exp).destroyAt(destroy).build();
  }

  VersionRecord withCertificate(CertificateInfo c) {
    return toBuilder().certificate(c).build();
  }

  VersionRecord withReason(String why) {
    return toBuilder().reason(why).build();
  }

  /** @return a copy counting {@code counted} uses against the limit, {@code settled} of them exactly */
  VersionRecord withUsage(long counted, long settled) {
    return toBuilder().usageReserved(counted).usesSettled(settled).build();
  }

  /** Builds a {@link VersionRecord}; {@link #build()} validates as the record's constructor. */
  static final class Builder {
    private int version;
    private KeyState state;
    private KeyState remembered;
    private KeyState rememberedBeforeDestroy;
    private KeyAlgorithm algorithm;
    private KeyVersionInfo.Origin origin;
    private boolean exportable;
    private Instant created;
    private Instant activated;
    private Instant deactivated;
    private Instant expires;
    private Instant destroyAt;
    private long usageReserved;
    private long usageLimit;
    private String reason;
    private long usesSettled;
    private CertificateInfo certificate;

    private Builder() {}

    private Builder(VersionRecord r) {
      version = r.version;
      state = r.state;
      remembered = r.remembered;
      rememberedBeforeDestroy = r.rememberedBeforeDestroy;
      algorithm = r.algorithm;
      origin = r.origin;
      exportable = r.exportable;
      created = r.created;
      activated = r.activated;
      deactivated = r.deactivated;
      expires = r.expires;
      destroyAt = r.destroyAt;
      usageReserved = r.usageReserved;
      usageLimit = r.usageLimit;
      reason = r.reason;
      usesSettled = r.usesSettled;
      certificate = r.certificate;
    }

    Builder version(int v) {
      version = v;
      return this;
    }

    Builder state(KeyState s) {
      state = s;
      return this;
    }

    Builder remembered(KeyState s) {
      remembered = s;
      return this;
    }

    Builder rememberedBeforeDestroy(KeyState s) {
      rememberedBeforeDestroy = s;
      return this;
    }

    Builder algorithm(KeyAlgorithm a) {
      algorithm = a;
      return this;
    }

    Builder origin(KeyVersionInfo.Origin o) {
      origin = o;
      return this;
    }

    Builder exportable(boolean e) {
      exportable = e;
      return this;
    }

    Builder created(Instant t) {
      created = t;
      return this;
    }

    Builder activated(Instant t) {
      activated = t;
      return this;
    }

    Builder deactivated(Instant t) {
      deactivated = t;
      return this;
    }

    Builder expires(Instant t) {
      expires = t;
      return this;
    }

    Builder destroyAt(Instant t) {
      destroyAt = t;
      return this;
    }

    Builder usageReserved(long n) {
      usageReserved = n;
      return this;
    }

    Builder usageLimit(long n) {
      usageLimit = n;
      return this;
    }

    Builder reason(String r) {
      reason = r;
      return this;
    }

    Builder usesSettled(long n) {
      usesSettled = n;
      return this;
    }

    Builder certificate(CertificateInfo c) {
      certificate = c;
      return this;
    }

    /**
     * @return the record
     * @throws IllegalArgumentException if the settled uses lie outside {@code 0..usageReserved}
     */
    VersionRecord build() {
      return new VersionRecord(version, state, remembered, rememberedBeforeDestroy, algorithm, origin, exportable,
          created, activated, deactivated, expires, destroyAt, usageReserved, usageLimit, reason, usesSettled,
          certificate);
    }
  }

  /** @return the reservations not known to be used: {@code usageReserved - usesSettled} */
  long outstanding() {
    return usageReserved - usesSettled;
  }

  KeyVersionInfo toInfo(String name, UsageLedger.View usage) {
    return KeyVersionInfo.builder()
        .keyName(name)
        .version(version)
        .state(state)
        .algorithm(algorithm)
        .origin(origin)
        .exportable(exportable)
        .created(created)
        .activated(activated)
        .deactivated(deactivated)
        .expires(expires)
        .destroyAt(destroyAt)
        .usageCount(usage.uses() + usage.reserved())
        .uses(usage.uses())
        .reserved(usage.reserved())
        .usageLimit(usageLimit)
        .reason(reason)
        .certificate(certificate)
        .build();
  }
}
