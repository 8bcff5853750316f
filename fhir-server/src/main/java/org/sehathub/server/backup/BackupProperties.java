package org.sehathub.server.backup;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Online backups of the embedded database ({@code sehat.backup.*}).
 *
 * @param dir where backups are written; best on another disk than the data folder. Empty:
 *     {@code <data-dir>/backups}
 */
@ConfigurationProperties("sehat.backup")
public record BackupProperties(Path dir) {}
