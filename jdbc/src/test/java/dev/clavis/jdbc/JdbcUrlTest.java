package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link JdbcUrl}: the host list and the database of a URL, never its credentials or properties. */
class JdbcUrlTest {

  @Test
  void location_isHostPortAndDatabase_withoutUserInfoOrQuery() {
    assertEquals("db.internal:5432/keys", JdbcUrl.location("jdbc:postgresql://db.internal:5432/keys"));
    assertEquals("db:1/keys", JdbcUrl.location("jdbc:postgresql://app:secret@db:1/keys?password=secret&ssl=true"));
    assertEquals("a:1,b:2/keys", JdbcUrl.location("jdbc:postgresql://a:1,b:2/keys?targetServerType=primary"));
    assertEquals("localhost:5432/keys", JdbcUrl.location("jdbc:postgresql:keys?password=secret"));
    assertEquals("localhost:5432/keys", JdbcUrl.location("jdbc:postgresql:/keys"));
    assertEquals("db:1/(the user's default database)", JdbcUrl.location("jdbc:postgresql://db:1?password=secret"));
    assertEquals("db:1/(the user's default database)", JdbcUrl.location("jdbc:postgresql://db:1/"));
  }
}
