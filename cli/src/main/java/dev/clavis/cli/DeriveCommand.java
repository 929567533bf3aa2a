package dev.clavis.cli;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HDKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code derive --seed-hex - --path PATH}: a BIP32 key through the provider's {@code BIP32}
 * KeyFactory; prints the path, the {@code xprv}, the {@code xpub} and the compressed public key.
 * The seed is a secret, so it never comes from the command line: {@code --seed-hex -} reads its hex
 * digits from stdin, {@code --seed-file FILE} from a file; {@code --seed-hex HEX} is refused (see
 * {@link ArgvSecrets}).
 */
@Command(name = "derive", description = {"derive a BIP32 key: prints xprv, xpub and the public key"})
final class DeriveCommand extends CliCommand {

  @Option(names = "--seed-hex", paramLabel = "-", order = 1,
      description = {"'-': read the seed's hex digits from stdin (a seed itself is refused here: the process list shows it)"})
  String seedHex;

  @Option(names = "--seed-file", paramLabel = "FILE", order = 2, description = {"read the seed's hex digits from FILE"})
  String seedFile;

  @Option(names = "--path", paramLabel = "PATH", order = 3,
      description = {"the derivation path, e.g. \"m/44'/0'/0'/0/0\" (' or h or H marks a hardened step)"})
  String path;

  @Override
  int run(Context ctx) throws IOException, GeneralSecurityException {
    if (seedHex != null && !seedHex.equals("-")) {
      throw CliException.usage(ArgvSecrets.SEED_REFUSED);
    }
    if ((seedHex == null) == (seedFile == null) || path == null) {
      throw CliException.usage("derive needs the seed from --seed-hex - (stdin) or --seed-file FILE, and --path,"
          + " e.g. --path \"m/44'/0'/0'/0/0\"");
    }
    byte[] seed = seed(seedFile == null ? ctx.in().readAllBytes() : readFile(Path.of(seedFile)));
    ExtendedPrivateKey xprv;
    try {
      xprv = (ExtendedPrivateKey) KeyFactory.getInstance("BIP32", new ClavisProvider())
          .generatePrivate(new HDKeySpec(seed, path));
    } catch (IllegalArgumentException | InvalidKeySpecException e) {
      throw CliException.usage("cannot derive: " + e.getMessage());
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
    try {
      ExtendedPublicKey xpub = xprv.getPublicKey();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", xprv.getPath());
      m.put("xprv", xprv.toBase58());
      m.put("xpub", xpub.toBase58());
      m.put("publicKey", HexFormat.of().formatHex(xpub.getCompressed()));
      m.put("fingerprint", String.format("%08x", xprv.getFingerprint()));
      m.put("depth", xprv.getDepth());
      if (ctx.json()) {
        ctx.out().println(Json.write(m));
      } else {
        for (Map.Entry<String, Object> e : m.entrySet()) {
          ctx.out().printf("%-12s %s%n", e.getKey(), e.getValue());
        }
      }
    } finally {
      xprv.destroy();
    }
    return 0;
  }

  static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliException("cannot read the seed file " + file + ": " + Failures.describe(e));
    }
  }

  /** Decodes hex digits (surrounding whitespace ignored); wipes the text it was given. */
  static byte[] seed(byte[] text) {
    try {
      CharBuffer chars = StandardCharsets.US_ASCII.decode(ByteBuffer.wrap(text));
      try {
        String hex = chars.toString().strip();
        return HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("the seed must be an even number of hex digits");
      } finally {
        Arrays.fill(chars.array(), '\0');
      }
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }
}
