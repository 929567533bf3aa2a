package dev.clavis.bench;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;
import org.bitcoinj.params.MainNetParams;
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
 * BIP32 CKDpub from a parsed xpub, Clavis against bitcoinj: one operation is the child at the next
 * index with its compressed public key. {@link XpubChildCpuRatio} runs the same pair interleaved in
 * thread CPU time, which is the figure to read on a loaded machine.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar XpubChildBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class XpubChildBenchmark {

  /** The implementation under test. */
  @Param({"clavis", "bitcoinj"})
  public String impl;

  private ExtendedPublicKey clavis;
  private DeterministicKey bitcoinj;
  private int counter;

  /** One account xpub (m/44'/0'/0' of a fixed seed), parsed by each implementation. */
  @Setup
  public void setup() {
    byte[] seed = new byte[64];
    new Random(42).nextBytes(seed);
    String xpub = ExtendedPrivateKey.fromSeed(seed).derive("m/44'/0'/0'").getPublicKey().toBase58();
    clavis = ExtendedPublicKey.fromBase58(xpub);
    bitcoinj = DeterministicKey.deserializeB58(xpub, MainNetParams.get());
  }

  /** CKDpub at the next non-hardened index, with the child's compressed key. */
  @Benchmark
  public byte[] publicChild() {
    int i = counter++ & 0x7FFFFFFF;
    return impl.equals("clavis")
        ? clavis.deriveChild(i).getCompressed()
        : HDKeyDerivation.deriveChildKey(bitcoinj, new ChildNumber(i)).getPubKey();
  }

  /** A run of 20 consecutive children: one {@code deriveChildren} call for Clavis, 20 derivations for bitcoinj. */
  @Benchmark
  @OperationsPerInvocation(20)
  public void publicChildrenRunOf20(Blackhole bh) {
    int first = (counter += 20) & 0x3FFFFFFF;
    if (impl.equals("clavis")) {
      for (ExtendedPublicKey k : clavis.deriveChildren(first, 20)) {
        bh.consume(k.getCompressed());
      }
    } else {
      for (int i = first; i < first + 20; i++) {
        bh.consume(HDKeyDerivation.deriveChildKey(bitcoinj, new ChildNumber(i)).getPubKey());
      }
    }
  }
}
