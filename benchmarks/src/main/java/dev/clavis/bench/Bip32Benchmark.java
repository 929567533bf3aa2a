package dev.clavis.bench;

import dev.clavis.engine.hd.Scalar;
import dev.clavis.engine.hd.Secp256k1;
import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import java.math.BigInteger;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bitcoinj.core.ECKey;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * BIP32 derivation: Clavis against bitcoinj ({@code DeterministicKey}, which computes every public
 * key eagerly) and a plain Bouncy Castle implementation ({@link PlainBcBip32}), in the same run.
 * Throughput in operations (keys) per second; the path benchmarks count each of the 1000 keys.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Bip32Benchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Bip32Benchmark {

  private static final int HARDENED = 0x80000000;
  private static final int PATH_KEYS = 1000;

  /** The implementation under test. */
  @Param({"clavis", "bitcoinj", "bouncycastle"})
  public String impl;

  private final byte[] seed = new byte[64];
  private final byte[][] scalars = new byte[1024][];
  private int counter;

  private ExtendedPrivateKey clavisParent;
  private ExtendedPublicKey clavisXpub;
  private DeterministicKey bitcoinjParent;
  private DeterministicKey bitcoinjXpub;
  private PlainBcBip32.Node bcParent;
  private PlainBcBip32.Node bcXpub;

  /** Builds the parents and warms their caches (public key, HMAC state) once. */
  @Setup
  public void setup() {
    Random r = new Random(42);
    r.nextBytes(seed);
    for (int i = 0; i < scalars.length; i++) {
      scalars[i] = new byte[32];
      r.nextBytes(scalars[i]);
      scalars[i][0] &= 0x7F; // below n
    }
    clavisParent = ExtendedPrivateKey.fromSeed(seed).derive("m/44'/0'/0'");
    clavisXpub = ExtendedPublicKey.fromBase58(clavisParent.getPublicKey().toBase58());
    bitcoinjParent = bitcoinjPath(HDKeyDerivation.createMasterPrivateKey(seed), 44 | HARDENED, HARDENED, HARDENED);
    bitcoinjXpub = bitcoinjParent.dropPrivateBytes().dropParent();
    bcParent = bcPath(PlainBcBip32.master(seed), 44 | HARDENED, HARDENED, HARDENED);
    bcXpub = PlainBcBip32.publicNode(bcParent);
    // Warm each parent's caches, so every implementation starts from a ready account node.
    clavisParent.deriveChild(0);
    clavisXpub.deriveChild(0);
    PlainBcBip32.child(bcParent, 0);
    PlainBcBip32.child(bcXpub, 0);
  }

  private int next() {
    return counter++ & 0x7FFFFFFF;
  }

  /** A hardened child of a fixed private parent. */
  @Benchmark
  public Object hardenedPrivateChild() {
    int i = next() | HARDENED;
    switch (impl) {
      case "clavis": return clavisParent.deriveChild(i);
      case "bitcoinj": return HDKeyDerivation.deriveChildKey(bitcoinjParent, new ChildNumber(i));
      default: return PlainBcBip32.child(bcParent, i);
    }
  }

  /** A non-hardened child of a fixed private parent (whose public key is cached). */
  @Benchmark
  public Object nonHardenedPrivateChild() {
    int i = next();
    switch (impl) {
      case "clavis": return clavisParent.deriveChild(i);
      case "bitcoinj": return HDKeyDerivation.deriveChildKey(bitcoinjParent, new ChildNumber(i));
      default: return PlainBcBip32.child(bcParent, i);
    }
  }

  /** CKDpub: the child public key of a fixed xpub (G-multiplication plus point addition). */
  @Benchmark
  public Object publicChildFromXpub() {
    int i = next();
    switch (impl) {
      case "clavis": return clavisXpub.deriveChild(i).getCompressed();
      case "bitcoinj": return HDKeyDerivation.deriveChildKey(bitcoinjXpub, new ChildNumber(i)).getPubKey();
      default: return PlainBcBip32.child(bcXpub, i).publicKey();
    }
  }

  /** The compressed public key of a private scalar: one fixed-base multiplication. */
  @Benchmark
  public byte[] publicKeyOfPrivateKey() {
    byte[] k = scalars[next() & 1023];
    switch (impl) {
      case "clavis": return Secp256k1.publicKey(Scalar.fromBytes(k, 0));
      case "bitcoinj": return ECKey.publicKeyFromPrivate(new BigInteger(1, k), true);
      default: return PlainBcBip32.publicKeyOf(new BigInteger(1, k));
    }
  }

  /** m/44'/0'/0'/0/i for i = 0..999 from the master key, private keys only. */
  @Benchmark
  @OperationsPerInvocation(PATH_KEYS)
  public void pathPrivateOnly(Blackhole bh) {
    walk(bh, false);
  }

  /** m/44'/0'/0'/0/i for i = 0..999 from the master key, with each child's public key. */
  @Benchmark
  @OperationsPerInvocation(PATH_KEYS)
  public void pathWithPublicKeys(Blackhole bh) {
    walk(bh, true);
  }

  private void walk(Blackhole bh, boolean publicKeys) {
    switch (impl) {
      case "clavis": {
        ExtendedPrivateKey account = ExtendedPrivateKey.fromSeed(seed).derive("m/44'/0'/0'/0");
        for (int i = 0; i < PATH_KEYS; i++) {
          ExtendedPrivateKey k = account.deriveChild(i);
          bh.consume(publicKeys ? k.getPublicKey().getCompressed() : k);
        }
        break;
      }
      case "bitcoinj": {
        DeterministicKey account =
            bitcoinjPath(HDKeyDerivation.createMasterPrivateKey(seed), 44 | HARDENED, HARDENED, HARDENED, 0);
        for (int i = 0; i < PATH_KEYS; i++) {
          DeterministicKey k = HDKeyDerivation.deriveChildKey(account, new ChildNumber(i));
          bh.consume(publicKeys ? k.getPubKey() : k);
        }
        break;
      }
      default: {
        PlainBcBip32.Node account = bcPath(PlainBcBip32.master(seed), 44 | HARDENED, HARDENED, HARDENED, 0);
        for (int i = 0; i < PATH_KEYS; i++) {
          PlainBcBip32.Node k = PlainBcBip32.child(account, i);
          bh.consume(publicKeys ? k.publicKey() : k);
        }
      }
    }
  }

  private static DeterministicKey bitcoinjPath(DeterministicKey k, int... path) {
    for (int i : path) {
      k = HDKeyDerivation.deriveChildKey(k, new ChildNumber(i));
    }
    return k;
  }

  private static PlainBcBip32.Node bcPath(PlainBcBip32.Node k, int... path) {
    for (int i : path) {
      k = PlainBcBip32.child(k, i);
    }
    return k;
  }
}
