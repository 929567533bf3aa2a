package dev.clavis.cli;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        description = {"AES-256 (default), AES-128, AES-192, HMAC-SHA256, HMAC-SHA384, HMAC-SHA512, or a key pair:"
            + " EC-P256, EC-P384, RSA-2048, RSA-3072, RSA-4096, Ed25519, ML-DSA-44/65/87 (JDK 24+; any case and punctuation)"})
    KeyPairCreation.Choice algorithm = new KeyPairCreation.Choice(KeyAlgorithm.AES_256, 0);

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

    @Option(names = "--keep-versions", paramLabel = "N", order = 16,
        description = {"keep the newest N versions that decrypt; older ones are scheduled for destruction"})
    Integer keepVersions;

    @Option(names = "--decrypt-window", paramLabel = "DURATION", converter = Durations.Converter.class, order = 17,
        description = {"versions deactivated longer ago than this stop decrypting, e.g. 90d"})
    Duration decryptWindow;

    @Option(names = "--protect", order = 18, description = {"deletion protection on: destroy is refused until"
        + " 'clavis policy NAME --deletion-protection off'"})
    boolean protect;

    @Option(names = "--legacy-encryption", order = 19, description = {"AES/CBC/PKCS5Padding and AES/CTR/NoPadding"
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
        if (keepVersions != null) {
          b.keepVersions(keepVersions);
        }
        if (decryptWindow != null) {
          b.decryptWindow(decryptWindow);
        }
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      return b.exportable(exportable).deletionProtection(protect).legacyEncryption(legacyEncryption).build();
    }
  }

  /** Reads {@code --algorithm}: AES-128/192/256, HMAC-SHA256/384/512 or a key pair, in any case and punctuation. */
  static final class AlgorithmConverter implements ITypeConverter<KeyPairCreation.Choice> {
    /** @throws TypeConversionException naming the algorithms there are */
    @Override
    public KeyPairCreation.Choice convert(String text) {
      String t = text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
      if (t.matches("RSA(2048|3072|4096)")) {
        return new KeyPairCreation.Choice(KeyAlgorithm.RSA, Integer.parseInt(t.substring(3)));
      }
      for (KeyAlgorithm a : KeyAlgorithm.values()) {
        if (a.name().replace("_", "").equals(t) && a != KeyAlgorithm.RSA && a != KeyAlgorithm.CERTIFICATE
            && a != KeyAlgorithm.SECP256K1) { // a secp256k1 key is derived (derive-key), never created

          return new KeyPairCreation.Choice(a, 0);
        }
      }
      if (t.equals("AES")) {
        return new KeyPairCreation.Choice(KeyAlgorithm.AES_256, 0);
      }
      throw new TypeConversionException("unknown algorithm '" + text
          + "'; use AES-128, AES-192, AES-256, HMAC-SHA256, HMAC-SHA384, HMAC-SHA512, EC-P256, EC-P384, RSA-2048,"
          + " RSA-3072, RSA-4096, Ed25519, ML-DSA-44, ML-DSA-65, ML-DSA-87 (JDK 24+), HD-SEED or (for import) SECRET");
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

    @Option(names = "--subject", paramLabel = "DN", order = 2,
        description = {"for a key pair: the subject of its self-signed certificate, e.g. \"CN=api.example.com\""})
    String subject;

    @Option(names = "--validity", paramLabel = "DURATION", converter = Durations.Converter.class, order = 3,
        description = {"for a key pair: how long its certificate is valid (default 365d)"})
    Duration validity = Duration.ofDays(365);

    @Mixin PolicyOptions policy;

    @Option(names = "--purpose", paramLabel = "TEXT", order = 1, description = {"what the key is for"})
    String purpose;

    @Option(names = "--description", paramLabel = "TEXT", order = 2, description = {"free text about the key"})
    String description;

    @Option(names = "--tag", paramLabel = "K=V", order = 3, description = {"a tag (repeatable)"})
    List<String> tags = new ArrayList<>();

    @Option(names = "--replace", order = 4, description = {"reuse the name of a destroyed key (its versions stay as"
        + " tombstones; the new key's versions follow them)"})
    boolean replace;

    @Override
    int run(Context ctx) {
      String n = LifecycleCommands.name(name);
      KeyMetadata.Builder mb = KeyMetadata.builder().source("cli");
      try {
        mb.purpose(purpose).description(description);
        PolicyCommands.applyTags(mb, tags);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      KeyInfo k;
      if (policy.algorithm.algorithm().isKeyPair()) {
        if (replace) {
          throw CliException.usage("--replace is for secret keys so far; a destroyed key pair's name cannot be reused yet");
        }
        k = KeyPairCreation.create(ctx.keyring(), n, policy.algorithm, subject, validity, policy.policy());
        if (!mb.build().isEmpty()) {
          k = ctx.keyring().updateMetadata(n, mb.build());
        }
      } else if (policy.algorithm.algorithm() == KeyAlgorithm.HD_SEED) {
        if (replace || subject != null) {
          throw CliException.usage("an HD seed takes neither --replace nor --subject");
        }
        k = ctx.keyring().createSeed(n, policy.policy(), mb.build());
      } else {
        if (subject != null) {
          throw CliException.usage("--subject is for key pairs (--algorithm EC-P256, RSA-3072, Ed25519, ...)");
        }
        k = replace ? ctx.keyring().replaceDestroyed(n, policy.algorithm.algorithm(), policy.policy(), mb.build())
            : ctx.keyring().create(n, policy.algorithm.algorithm(), policy.policy(), mb.build());
      }
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
        KeyInfo k = ctx.keyring().importKey(n, policy.algorithm.algorithm(), material, policy.policy());
        ctx.result("imported " + k.name() + "#" + k.latest().version() + " " + k.algorithm() + " " + k.latest().state(), created(k));
      } finally {
        Arrays.fill(material, (byte) 0);
      }
      return 0;
    }
  }
}
