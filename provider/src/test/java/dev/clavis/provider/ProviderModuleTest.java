package dev.clavis.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.pkcs11.CKA;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.spec.KeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The provider depends on JNA only: its module resolves from the provider, the PKCS#11 binding and
 * JNA alone, and BIP32 (whose DER encodings, RIPEMD-160 and field inversion came from Bouncy Castle
 * before) works in that layer, where no Bouncy Castle class is visible.
 */
class ProviderModuleTest {

  private static final byte[] SEED = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

  private static Path location(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** A layer over the platform loader holding only what the provider's descriptor may need. */
  private static ModuleLayer jnaOnlyLayer() throws Exception {
    ModuleFinder finder = ModuleFinder.of(
        location(ClavisProvider.class), location(CKA.class), location(com.sun.jna.Native.class));
    Configuration cf = ModuleLayer.boot().configuration()
        .resolveAndBind(finder, ModuleFinder.of(), Set.of("dev.clavis.provider"));
    return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
  }

  @Test
  void moduleDescriptor_requiresNoBouncyCastle() throws Exception {
    ModuleDescriptor d = ModuleFinder.of(location(ClavisProvider.class)).find("dev.clavis.provider")
        .orElseThrow().descriptor();
    Set<String> required = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    assertEquals(Set.of("java.base", "com.sun.jna", "dev.clavis.pkcs11"), required);
  }

  @Test
  void providerModule_resolvesAndDerivesWithoutBouncyCastle() throws Exception {
    ModuleLayer layer = jnaOnlyLayer();
    assertEquals(Set.of("dev.clavis.provider", "dev.clavis.pkcs11", "com.sun.jna"),
        layer.modules().stream().map(Module::getName).collect(Collectors.toSet()));
    ClassLoader loader = layer.findLoader("dev.clavis.provider");
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider", false, loader));

    // ServiceLoader also walks the boot layer (the JDK's providers); this layer adds one
    List<Provider> found = ServiceLoader.load(layer, Provider.class).stream()
        .filter(p -> p.type().getModule().getLayer() == layer)
        .map(ServiceLoader.Provider::get).collect(Collectors.toList());
    assertEquals(1, found.size(), found.toString());
    Provider clavis = found.get(0);
    assertEquals("Clavis", clavis.getName());

    // BIP32 in the layer: derivation hashes parent keys (HASH160), multiplies with a secret
    // scalar (field inversion) and getEncoded writes PKCS#8 and X.509 (DER).
    KeySpec spec = (KeySpec) Class.forName("dev.clavis.spec.HDKeySpec", true, loader)
        .getConstructor(byte[].class, String.class).newInstance(SEED, "m/0'/1/2'");
    Key k = KeyFactory.getInstance("BIP32", clavis).generatePrivate(spec);
    Key pub = (Key) k.getClass().getMethod("getPublicKey").invoke(k);
    ExtendedPrivateKey here = ExtendedPrivateKey.fromSeed(SEED).derive("m/0'/1/2'");
    assertEquals(here.toBase58(), k.getClass().getMethod("toBase58").invoke(k));
    assertArrayEquals(here.getEncoded(), k.getEncoded());
    assertArrayEquals(here.getPublicKey().getEncoded(), pub.getEncoded());
  }
}
