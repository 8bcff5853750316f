package org.sehathub.server;

/** The FHIR capabilities on the embedded default: file-based H2 and Lucene under a data folder. */
@H2ServerTest
class FhirServerOnH2IT extends AbstractFhirServerIT {}
