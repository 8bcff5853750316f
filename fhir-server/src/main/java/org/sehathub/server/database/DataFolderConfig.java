package org.sehathub.server.database;

import org.sehathub.server.config.SehatProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Claims the data folder for this process before anything opens a file in it. */
@Configuration(proxyBeanMethods = false)
public class DataFolderConfig {

    public static final String LOCK_BEAN = "dataFolderLock";

    @Bean(name = LOCK_BEAN, destroyMethod = "close")
    public DataFolderLock dataFolderLock(SehatProperties sehat) {
        return DataFolderLock.acquire(sehat.dataDir());
    }
}
