package io.quintet.sink.commit;

import java.util.Objects;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.exceptions.CleanableFailure;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * Table operations that refuse to commit on top of any snapshot but the expected one. Iceberg re-applies an append
 * to the newest table state when its commit races with another; the sink's snapshot summary (offsets and epochs) was
 * computed from one particular state, so a commit on any other base fails with {@link StaleBaseException} and the
 * sink re-reads the state, re-checks its fencing and tries again. The catalog's own atomic swap of the metadata
 * location still guards the final step.
 */
public final class GuardedTableOperations implements TableOperations {
    private final TableOperations delegate;
    private final Long expectedParentSnapshotId;

    public GuardedTableOperations(TableOperations delegate, Long expectedParentSnapshotId) {
        this.delegate = delegate;
        this.expectedParentSnapshotId = expectedParentSnapshotId;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
        Snapshot current = base == null ? null : base.currentSnapshot();
        Long actual = current == null ? null : current.snapshotId();
        if (!Objects.equals(actual, expectedParentSnapshotId)) {
            throw new StaleBaseException(expectedParentSnapshotId, actual);
        }
        delegate.commit(base, metadata);
    }

    @Override
    public TableMetadata current() {
        return delegate.current();
    }

    @Override
    public TableMetadata refresh() {
        return delegate.refresh();
    }

    @Override
    public FileIO io() {
        return delegate.io();
    }

    @Override
    public EncryptionManager encryption() {
        return delegate.encryption();
    }

    @Override
    public String metadataFileLocation(String fileName) {
        return delegate.metadataFileLocation(fileName);
    }

    @Override
    public LocationProvider locationProvider() {
        return delegate.locationProvider();
    }

    @Override
    public TableOperations temp(TableMetadata uncommittedMetadata) {
        return delegate.temp(uncommittedMetadata);
    }

    @Override
    public long newSnapshotId() {
        return delegate.newSnapshotId();
    }

    @Override
    public boolean requireStrictCleanup() {
        return delegate.requireStrictCleanup();
    }

    /** Another snapshot was committed after the sink read its state; re-read and retry. */
    public static final class StaleBaseException extends RuntimeException implements CleanableFailure {
        StaleBaseException(Long expected, Long actual) {
            super("table moved on: expected to commit on snapshot " + expected + " but the current one is " + actual);
        }
    }
}
