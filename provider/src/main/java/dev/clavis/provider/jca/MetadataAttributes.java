package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyMetadata;
import java.security.KeyStore;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A key's metadata as KeyStore entry attributes: {@code clavis.purpose}, {@code clavis.description},
 * {@code clavis.source} and one {@code clavis.tag.K} per tag; absent fields give no attribute.
 */
final class MetadataAttributes {

  private MetadataAttributes() {}

  /** @return the attributes of {@code m} */
  static Set<KeyStore.Entry.Attribute> of(KeyMetadata m) {
    Set<KeyStore.Entry.Attribute> s = new LinkedHashSet<>();
    m.purpose().ifPresent(p -> s.add(new ManagedKeyStoreSpi.Attribute("clavis.purpose", p)));
    m.description().ifPresent(d -> s.add(new ManagedKeyStoreSpi.Attribute("clavis.description", d)));
    m.source().ifPresent(d -> s.add(new ManagedKeyStoreSpi.Attribute("clavis.source", d)));
    for (Map.Entry<String, String> t : m.tags().entrySet()) {
      s.add(new ManagedKeyStoreSpi.Attribute("clavis.tag." + t.getKey(), t.getValue()));
    }
    return s;
  }
}
