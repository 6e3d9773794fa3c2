# One command each: `make demo` installs everything and makes a clip; `make test` installs what the
# tests need and runs them (CI runs exactly this).
VENV ?= .venv
PROMPT ?= a basketball bounces off the backboard and falls to the floor
PYTEST_ARGS ?=
# `make install` gives every command the README shows, `worldreel eval` and `worldreel serve`
# included (the evaluate extra: OpenCV, librosa; the serve extra: FastAPI, uvicorn); EXTRAS=voice
# (or others) adds to that.
comma := ,
INSTALL_EXTRAS := evaluate,serve$(if $(EXTRAS),$(comma)$(EXTRAS))

.PHONY: install install-test demo test bench

install:
	EXTRAS=$(INSTALL_EXTRAS) scripts/install.sh

install-test:
	EXTRAS=test,voice,evaluate scripts/install.sh

demo: install
	mkdir -p out
	$(VENV)/bin/worldreel generate "$(PROMPT)" -o out/demo.mp4 --overwrite

test: install-test
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: install-test
	$(VENV)/bin/python benchmarks/realtime.py
