"""Independent PyTorch implementations of the networks the C++ engine runs, for test fixtures."""
