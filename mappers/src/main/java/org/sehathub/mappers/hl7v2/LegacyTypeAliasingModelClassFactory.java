package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import java.util.Map;

/**
 * Parses every version into the v2.8 structures, and lets OBX-2 name the data types that v2.8
 * withdrew.
 *
 * <p>A v2.3 or v2.5 lab sends {@code OBX|1|CE|...}; v2.8 has no CE (it became CWE), so HAPI would
 * refuse the whole message. The successor types have the same leading components, so the value
 * is read with them.
 */
final class LegacyTypeAliasingModelClassFactory extends CanonicalModelClassFactory {

    private static final long serialVersionUID = 1L;

    static final String VERSION = "2.8";

    private static final Map<String, String> SUCCESSORS =
            Map.of("CE", "CWE", "TS", "DTM", "CK", "CX", "CN", "XCN", "PN", "XPN", "AD", "XAD", "TN", "XTN");

    LegacyTypeAliasingModelClassFactory() {
        super(VERSION);
    }

    @Override
    public Class<? extends Type> getTypeClass(String name, String version) throws HL7Exception {
        return super.getTypeClass(name == null ? null : SUCCESSORS.getOrDefault(name, name), version);
    }
}
