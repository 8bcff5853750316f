package org.sehathub.ingest.sink;

import java.util.List;

/**
 * What the sink did with a message.
 *
 * @param duplicate true when the message had been stored before and nothing new was written
 * @param resourceIds versionless ids ({@code Patient/123}) of what the message stored
 */
public record StoreOutcome(boolean duplicate, List<String> resourceIds) {

    public StoreOutcome {
        resourceIds = List.copyOf(resourceIds);
    }
}
