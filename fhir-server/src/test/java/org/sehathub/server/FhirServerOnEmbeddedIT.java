package org.sehathub.server;

/** The FHIR capabilities on the embedded default: PostgreSQL run by the server and Lucene under a data folder. */
@EmbeddedServerTest
class FhirServerOnEmbeddedIT extends AbstractFhirServerIT {}
