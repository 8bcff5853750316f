package org.sehathub.ingest.hl7v2;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.Environment;

/**
 * camel-mllp 4.17 writes received bytes into some of its own WARN and INFO lines (a frame that
 * timed out, bytes outside a frame), whatever its {@code logPhi} option says; HL7 messages carry
 * names and CNICs. So its internal loggers are set to ERROR, unless an operator chose a level for
 * them ({@code logging.level.org.apache.camel.component.mllp.internal}). Connection resets remain
 * visible at INFO from {@code org.apache.camel.component.mllp.MllpTcpServerConsumer}, and our own
 * routes log every refusal without payloads.
 */
public class MllpPayloadLogGuard {

    static final String LOGGER = "org.apache.camel.component.mllp.internal";

    public MllpPayloadLogGuard(Environment environment) {
        if (!environment.containsProperty("logging.level." + LOGGER)) {
            LoggingSystem.get(MllpPayloadLogGuard.class.getClassLoader()).setLogLevel(LOGGER, LogLevel.ERROR);
        }
    }
}
