# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent PyTorch implementations of the networks the C++ reads, written from the papers and
the published definitions with torch only (no timm, no einops), for the test fixtures."""
