#!/usr/bin/env bash
# Rebuilds the reader's weights from the training questions:
#   retrieval/reader/train/train.sh [EXTRA train.py FLAGS]
# Run from anywhere, on a developer machine (never in CI): about an hour on
# 2 cores. Needs Go, ../shared beside the repository, and PyTorch from
# Debian (apt-get install python3-torch libopenblas0-pthread). Writes
# retrieval/reader/model/reader.bin and retrieval/reader/testdata/golden.json;
# the seed is fixed, so a rerun on the same data gives the same weights up
# to floating-point summation order.
set -euo pipefail
cd "$(dirname "$0")/../../.."
work=${READER_WORK:-$(mktemp -d)}
go run ./retrieval/reader/train/prep -shared ../shared -out "$work" ${PREP_FLAGS:-}
/usr/bin/python3 retrieval/reader/train/train.py --prep "$work" \
  --out retrieval/reader/model/reader.bin \
  --golden retrieval/reader/testdata/golden.json "$@"
