/** The JNA binding of PKCS#11 (Cryptoki) used by Clavis's token backend. */
module dev.clavis.pkcs11 {
  requires com.sun.jna;

  exports dev.clavis.pkcs11;
  exports dev.clavis.pkcs11.raw;

  // JNA reads and writes the Cryptoki structures reflectively.
  opens dev.clavis.pkcs11.raw to com.sun.jna;
}
