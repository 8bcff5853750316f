package org.sehathub.server;

/** The FHIR capabilities on a real PostgreSQL server, through the {@code postgres} profile. */
@PostgresServerTest
class FhirServerOnPostgresIT extends AbstractFhirServerIT {}
