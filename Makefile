# Candor: two commands get you going.
#   make run   installs what is missing, builds the UI and starts the desktop app
#   make test  the same set-up, then every check and suite, ending "N passed, N failed"
.PHONY: run test setup ui build e2e bench fuzz clean package package-test

export PATH := $(HOME)/.cargo/bin:$(PATH)

setup:
	@scripts/setup.sh

ui: setup
	@cd ui && npm run --silent build

build: ui
	cargo build -p candor -p candor-cli

run: build
	./target/debug/candor

test: setup
	@scripts/test-all.sh

# Just the E2E suite; SPEC=name runs one spec (e2e/specs/NAME.ts).
e2e: build
	@e2e/run.sh $(SPEC)

bench: setup
	@bench/run.sh

# Installable packages (.deb and .rpm, release build, offline) in target/release/bundle/.
package: setup
	@scripts/package.sh

# Checks the .deb, installs it (root or sudo), starts the installed app under Xvfb, removes it.
package-test: package
	@scripts/package-test.sh

# Every fuzz target for FUZZ_SECONDS each (default 120); needs nightly and cargo-fuzz (fuzz/README.md).
fuzz:
	@fuzz/run.sh

clean:
	cargo clean
	rm -rf ui/dist e2e/artifacts
