package io.kvl.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Kvl.class.getPackage().getImplementationVersion();
        return new String[] {"kvl " + (v == null ? "development" : v)};
    }
}
