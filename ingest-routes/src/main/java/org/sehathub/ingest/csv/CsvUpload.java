package org.sehathub.ingest.csv;

import java.nio.file.Path;
import org.sehathub.ingest.Inbound;
import org.sehathub.mappers.csv.CsvLayout;

/**
 * Who uploaded a CSV file and as which layout: the envelope of a CSV {@link Inbound}.
 *
 * @param layoutName the layout as named by the sender (URL segment or inbox folder)
 * @param layout the layout, null when the name is not one of {@link CsvLayout}'s
 * @param facility the clinic: {@code X-Sehat-Facility} over HTTP, the file name's prefix before
 *     {@code __} in an inbox; null when not given
 * @param sourceSystem the clinic's software, {@code X-Sehat-Source-System}, default {@code clinic-csv}
 * @param file the file in the inbox, null over HTTP and for replays
 */
public record CsvUpload(String layoutName, CsvLayout layout, String facility, String sourceSystem, Path file)
        implements Inbound.Envelope {

    /** Sources of clinic CSV are {@code csv/<layout>}. */
    public static final String SOURCE_PREFIX = "csv/";

    public static final String DEFAULT_SOURCE_SYSTEM = "clinic-csv";

    /** {@code csv/<layout>}: the source name in dead letters and metrics. */
    public String source() {
        return SOURCE_PREFIX + (layout != null ? layout.urlName() : layoutName);
    }
}
