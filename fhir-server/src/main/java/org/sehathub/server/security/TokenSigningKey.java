package org.sehathub.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;

/**
 * The key this server signs access tokens with: made once, kept in the data folder
 * ({@code security/token-signing-key.json}, readable by the server's user only), so tokens issued
 * before a restart stay valid after it and clients can cache the published JWKS.
 */
public final class TokenSigningKey {

    private TokenSigningKey() {}

    /** Reads the key in {@code file}, or makes one and writes it there first. */
    public static RSAKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            }
            RSAKey key = new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
            write(file, key.toJSONString());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the token signing key " + file, e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("The token signing key " + file + " is not a usable RSA JWK", e);
        }
    }

    /** The public half, as published at the JWKS endpoint. */
    public static JWKSet publicSet(RSAKey key) {
        return new JWKSet(key.toPublicJWK());
    }

    private static void write(Path file, String json) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, json, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
