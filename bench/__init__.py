"""The national scale: a generated dataset of many förbund (national.py, `manage.py
national_dataset`) and the benchmark that serves it (`make bench`, harness.py)."""
