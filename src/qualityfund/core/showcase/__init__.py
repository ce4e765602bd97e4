"""A showcase year in the demo guide, so that every demo account finds work after `make run`.

``build.build(guide)`` goes through the lifecycle's service functions only; ``summary.lines``
says which account sees what.
"""
