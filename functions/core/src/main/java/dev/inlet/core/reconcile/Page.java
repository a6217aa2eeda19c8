package dev.inlet.core.reconcile;

import java.util.List;

/**
 * One page of a listing: its number (from 1), how many pages the provider said there are (0 when it
 * does not say), and its changes.
 */
public record Page(int number, int totalPages, List<Change> changes) {
    public Page {
        changes = List.copyOf(changes);
    }
}
