"""The accuracy evaluators `wirehouse eval` runs: quotes against PolNeAR, events against PLOVER gold records,
HTML bodies against expected texts. Each runs the real pipeline over the gold inputs and formats a report.

The top layer of transforms: may import every other transforms package.
"""
