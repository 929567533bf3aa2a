/** Clavis: a JCA/JCE provider with managed key lifecycles, key wrap, Argon2 and BIP32. */
@SuppressWarnings("module") // dev.clavis.jdbc (the qualified export's target) is built after this module
module dev.clavis.provider {
  requires com.sun.jna;
  requires dev.clavis.pkcs11;

  exports dev.clavis.provider;
  exports dev.clavis.keyring;
  exports dev.clavis.keyring.spi;
  exports dev.clavis.hd;
  exports dev.clavis.spec;
  exports dev.clavis.keyring.pkcs11;
  exports dev.clavis.provider.x509;
  // clavis-jdbc is built on the file store's protectors and MemoryMaterial; no one else reaches them
  exports dev.clavis.keyring.file to dev.clavis.jdbc;

  // clavis-jdbc (module path: the automatic module dev.clavis.jdbc) provides the database backend
  uses dev.clavis.keyring.spi.DatabaseBackendFactory;

  provides java.security.Provider with dev.clavis.provider.ClavisProvider;
}
