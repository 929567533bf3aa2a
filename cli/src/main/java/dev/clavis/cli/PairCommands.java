package dev.clavis.cli;

import dev.clavis.keyring.CertificateInfo;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.provider.ClavisProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Key pairs: {@code sign}, {@code verify} (stdin) and {@code export-cert}, and the certificates {@code show} lists. */
final class PairCommands {

  private PairCommands() {}

  /** Clavis's own services, asked by name so the lifecycle always applies. */
  private static final Provider CLAVIS = new ClavisProvider();

  static String defaultSignature(KeyAlgorithm a) {
    switch (a) {
      case EC_P256: return "SHA256withECDSA";
      case EC_P384: return "SHA384withECDSA";
      case RSA: return "SHA256withRSA";
      case ED25519: return "Ed25519";
      case ML_DSA_44:
      case ML_DSA_65:
      case ML_DSA_87: return "ML-DSA";
      case SECP256K1: return "SHA256withECDSA";
      default: throw CliException.usage("key of algorithm " + a + " does not sign: use a key pair");
    }
  }

  private static KeyInfo keyPair(Keyring ring, KeyRef ref) {
    KeyInfo k = ring.find(ref.name()).orElseThrow(() -> new UnknownKeyException(ref));
    if (!k.algorithm().isKeyPair() && k.algorithm() != KeyAlgorithm.SECP256K1) {
      throw CliException.usage("key " + ref.name() + " is " + k.algorithm() + ", not a key pair");
    }
    return k;
  }

  static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new CliException("a stored certificate cannot be read: " + e.getMessage());
    }
  }

  /**
   * @return per version: subject, issuer, notBefore, notAfter of its own certificate (public data),
   *     from the facts its metadata records; only a version certified by an older Clavis has its chain read
   */
  static List<Map<String, Object>> certificates(Keyring ring, KeyInfo k) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (KeyVersionInfo v : k.versions()) {
      CertificateInfo c = v.certificate().orElse(null);
      if (c == null) {
        List<byte[]> chain = ring.certificates(KeyRef.of(k.name(), v.version()));
        if (chain.isEmpty()) {
          continue;
        }
        c = CertificateInfo.of(parse(chain.get(0)), chain.size());
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", v.version());
      m.put("subject", c.subject());
      m.put("issuer", c.issuer());
      m.put("notBefore", c.notBefore().toString());
      m.put("notAfter", c.notAfter().toString());
      m.put("chainLength", c.chainLength());
      out.add(m);
    }
    return out;
  }

  /** {@code sign NAME[#V]}: signs stdin, writes the signature's bytes to stdout. */
  @Command(name = "sign", description = {"sign stdin with the key pair's primary (or NAME#V); the signature goes to stdout"})
  static final class Sign extends CliCommand {
    @Parameters(paramLabel = "NAME[#V]", description = {"the key pair"})
    String name;

    @Option(names = "--signature-algorithm", paramLabel = "ALG", order = 1,
        description = {"SHA256withECDSA, SHA384withECDSA, SHA256withRSA, SHA384withRSA, Ed25519, ML-DSA (default: by key)"})
    String algorithm;

    @Option(names = "--base64", order = 2, description = {"write the signature in Base64 on one line"})
    boolean base64;

    @Override
    int run(Context ctx) throws IOException {
      KeyRef ref = LifecycleCommands.ref(name);
      KeyInfo k = keyPair(ctx.keyring(), ref);
      String alg = algorithm != null ? algorithm : defaultSignature(k.algorithm());
      byte[] sig;
      try {
        Signature s = Signature.getInstance(alg, CLAVIS);
        s.initSign(ctx.keyring().privateKeyHandle(ref));
        feed(s, ctx.in());
        sig = s.sign();
      } catch (GeneralSecurityException e) {
        throw new CliException(e.getMessage());
      }
      byte[] out = base64 ? (Base64.getEncoder().encodeToString(sig) + "\n").getBytes(StandardCharsets.US_ASCII) : sig;
      ctx.out().write(out, 0, out.length);
      ctx.out().flush();
      ctx.note("signed with " + ref + " (" + alg + ")");
      return 0;
    }
  }

  /** {@code verify NAME[#V] --signature FILE}: verifies stdin; exit 0 if valid, 1 if not. */
  @Command(name = "verify", description = {"verify stdin against a signature made by the key pair (any version that may verify)"})
  static final class Verify extends CliCommand {
    @Parameters(paramLabel = "NAME[#V]", description = {"the key pair"})
    String name;

    @Option(names = "--signature", paramLabel = "FILE", required = true, order = 1,
        description = {"the signature: raw bytes, or Base64 as sign --base64 writes it"})
    String signatureFile;

    @Option(names = "--signature-algorithm", paramLabel = "ALG", order = 2, description = {"as for sign"})
    String algorithm;

    @Override
    int run(Context ctx) throws IOException {
      KeyRef ref = LifecycleCommands.ref(name);
      KeyInfo k = keyPair(ctx.keyring(), ref);
      String alg = algorithm != null ? algorithm : defaultSignature(k.algorithm());
      byte[] sig = signature(Files.readAllBytes(Path.of(signatureFile)));
      boolean ok;
      try {
        Signature s = Signature.getInstance(alg, CLAVIS);
        s.initVerify(ctx.keyring().publicKeyHandle(ref));
        feed(s, ctx.in());
        ok = s.verify(sig);
      } catch (GeneralSecurityException e) {
        throw new CliException(e.getMessage());
      }
      if (!ok) {
        throw new CliException("the signature in " + signatureFile + " is not valid for " + ref + " (" + alg + ")");
      }
      ctx.result("signature valid for " + ref, Map.of("valid", true, "key", ref.toString()));
      return 0;
    }

    private static byte[] signature(byte[] file) {
      String t = new String(file, StandardCharsets.US_ASCII).trim();
      if (t.matches("[A-Za-z0-9+/=]+") && t.length() % 4 == 0) {
        try {
          return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
          return file;
        }
      }
      return file;
    }
  }

  private static void feed(Signature s, InputStream in) throws IOException, GeneralSecurityException {
    byte[] buf = new byte[64 * 1024];
    for (int n; (n = in.read(buf)) > 0; ) {
      s.update(buf, 0, n);
    }
  }

  /** {@code export-cert NAME[#V]}: the version's certificate (or chain) as PEM. */
  @Command(name = "export-cert", description = {"print the certificate of the key pair's primary (or NAME#V) as PEM"})
  static final class ExportCert extends CliCommand {
    @Parameters(paramLabel = "NAME[#V]", description = {"the key pair or trusted certificate"})
    String name;

    @Option(names = "--chain", order = 1, description = {"the whole chain, the key's own certificate first"})
    boolean chain;

    @Override
    int run(Context ctx) {
      KeyRef ref = LifecycleCommands.ref(name);
      List<byte[]> ders = ctx.keyring().certificates(ref);
      if (ders.isEmpty()) {
        throw new CliException("key " + ref + " holds no certificate (a secret key, or a destroyed version)");
      }
      StringBuilder pem = new StringBuilder();
      for (byte[] der : chain ? ders : ders.subList(0, 1)) {
        pem.append("-----BEGIN CERTIFICATE-----\n")
            .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der))
            .append("\n-----END CERTIFICATE-----\n");
      }
      ctx.out().print(pem);
      ctx.out().flush();
      return 0;
    }
  }
}
