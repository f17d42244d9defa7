"""The read model: what pages read, in Firestore for any number of instances (``functions.readmodel.model``)."""

from functions.readmodel.model import MODELLED, WINDOW_DAYS, Modelled, ReadModel
from functions.readmodel.store import ReadModelStore, with_read_model

__all__ = ["MODELLED", "WINDOW_DAYS", "Modelled", "ReadModel", "ReadModelStore", "with_read_model"]
