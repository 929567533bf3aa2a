/** Clavis: a JCA/JCE provider with managed key lifecycles, key wrap, Argon2 and BIP32. */
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

  provides java.security.Provider with dev.clavis.provider.ClavisProvider;
}
