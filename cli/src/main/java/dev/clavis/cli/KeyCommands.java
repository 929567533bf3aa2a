package dev.clavis.cli;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** The commands that bring a new key or version into the store: {@code create} and {@code import}. */
final class KeyCommands {

  private KeyCommands() {}

  /** The algorithm and policy of a new key. */
  static final class PolicyOptions {
    @Option(names = "--algorithm", paramLabel = "ALG", converter = AlgorithmConverter.class, order = 10,
        description = {"AES-256 (default), AES-128, AES-192, HMAC-SHA256, HMAC-SHA384 or HMAC-SHA512 (any case and"
            + " punctuation)"})
    KeyAlgorithm algorithm = KeyAlgorithm.AES_256;

    @Option(names = "--rotation-period", paramLabel = "DURATION", converter = Durations.Converter.class, order = 11,
        description = {"rotate after this long, e.g. 90d (s, m, h, d, w, y or ISO-8601 P90D)"})
    Duration rotationPeriod;

    @Option(names = "--usage-limit", paramLabel = "N", order = 12, description = {"at most N uses per version"})
    Long usageLimit;

    @Option(names = "--lifetime", paramLabel = "DURATION", converter = Durations.Converter.class, order = 13,
        description = {"each version expires this long after it is created, e.g. 1y"})
    Duration lifetime;

    @Option(names = "--deletion-window", paramLabel = "DURATION", converter = Durations.Converter.class, order = 14,
        description = {"how long a scheduled destruction can be cancelled (default 7d)"})
    Duration deletionWindow;

    @Option(names = "--exportable", order = 15, description = {"the material may leave Clavis (getEncoded() returns it)"})
    boolean exportable;

    @Option(names = "--legacy-encryption", order = 16, description = {"AES/CBC/PKCS5Padding and AES/CTR/NoPadding"
        + " may also encrypt with the key (default: they only decrypt, for data from before a migration)"})
    boolean legacyEncryption;

    /** @return the policy these options describe */
    KeyPolicy policy() {
      KeyPolicy.Builder b = KeyPolicy.builder();
      try {
        if (rotationPeriod != null) {
          b.rotationPeriod(rotationPeriod);
        }
        if (lifetime != null) {
          b.versionLifetime(lifetime);
        }
        if (deletionWindow != null) {
          b.deletionWindow(deletionWindow);
        }
        if (usageLimit != null) {
          b.usageLimit(usageLimit);
        }
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      return b.exportable(exportable).legacyEncryption(legacyEncryption).build();
    }
  }

  /** Reads {@code --algorithm}: AES-128, AES-192, AES-256, HMAC-SHA256/384/512, in any case and punctuation. */
  static final class AlgorithmConverter implements ITypeConverter<KeyAlgorithm> {
    /** @throws TypeConversionException naming the algorithms there are */
    @Override
    public KeyAlgorithm convert(String text) {
      String t = text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
      for (KeyAlgorithm a : KeyAlgorithm.values()) {
        if (a.name().replace("_", "").equals(t)) {
          return a;
        }
      }
      if (t.equals("AES")) {
        return KeyAlgorithm.AES_256;
      }
      throw new TypeConversionException("unknown algorithm '" + text
          + "'; use AES-128, AES-192, AES-256, HMAC-SHA256, HMAC-SHA384, HMAC-SHA512 or (for import) SECRET");
    }
  }

  /** @return the JSON object of a new key's version: name, version, state, algorithm */
  static Map<String, Object> created(KeyInfo k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", k.name());
    m.put("version", k.latest().version());
    m.put("state", k.latest().state().name());
    m.put("algorithm", k.algorithm().name());
    return m;
  }

  /** {@code create NAME}. */
  @Command(name = "create", description = {"create a key; version 1 is ACTIVE"})
  static final class Create extends CliCommand {
    @Parameters(paramLabel = "NAME", description = {"the key's name"})
    String name;

    @Mixin PolicyOptions policy;

    @Override
    int run(Context ctx) {
      KeyInfo k = ctx.keyring().create(LifecycleCommands.name(name), policy.algorithm, policy.policy());
      ctx.result("created " + k.name() + "#" + k.latest().version() + " " + k.algorithm() + " " + k.latest().state(), created(k));
      return 0;
    }
  }

  /** {@code import NAME --key-file FILE}. */
  @Command(name = "import", description = {"bring your own key: raw key bytes from FILE become a new key or a new primary version"})
  static final class Import extends CliCommand {
    @Parameters(paramLabel = "NAME", description = {"the key's name"})
    String name;

    @Option(names = "--key-file", paramLabel = "FILE", order = 1, description = {"the raw key bytes"})
    String keyFile;

    @Mixin PolicyOptions policy;

    @Override
    int run(Context ctx) throws IOException {
      String n = LifecycleCommands.name(name);
      if (keyFile == null) {
        throw CliException.usage("import needs --key-file FILE holding the raw key bytes");
      }
      byte[] material = Files.readAllBytes(Path.of(keyFile));
      try {
        KeyInfo k = ctx.keyring().importKey(n, policy.algorithm, material, policy.policy());
        ctx.result("imported " + k.name() + "#" + k.latest().version() + " " + k.algorithm() + " " + k.latest().state(), created(k));
      } finally {
        Arrays.fill(material, (byte) 0);
      }
      return 0;
    }
  }
}
