package io.lifeboat.domain.catalog;

import java.util.List;

/** One page of a listing; {@code nextSortKey} is where the next page starts, null on the last. */
public record Page<T>(List<T> items, String nextSortKey) {
}
