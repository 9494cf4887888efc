package io.lifeboat.domain.catalog;

/** A kind of catalog record and the domain type it holds. */
public record Kind<T>(String name, Class<T> type) {
}
