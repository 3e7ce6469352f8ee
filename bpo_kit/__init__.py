"""bpo-kit: turn a client's process inventory into a business-process-outsourcing assessment.

The package computes; the notebooks in ``notebooks/`` narrate and draw. Domain modules (inventory,
classification, locations, business_case, providers, risks, kpis) are pure functions over DataFrames;
``plots`` and ``style`` draw; ``report`` runs notebooks into client reports.
"""

__version__ = "0.1.0"
