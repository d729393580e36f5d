from collection.models.images import MuseumImage, MuseumRendition
from collection.models.lenders import Lender
from collection.models.loans import LoanAgreement, LoanCreditLine
from collection.models.objects import (
    ObjectDimension,
    ObjectImage,
    ObjectPlace,
    ObjectRecord,
    ObjectText,
    ProvenanceEvent,
)
from collection.models.vocabularies import Culture, Maker, Material, Place

__all__ = [
    "Culture",
    "Lender",
    "LoanAgreement",
    "LoanCreditLine",
    "Maker",
    "Material",
    "MuseumImage",
    "MuseumRendition",
    "ObjectDimension",
    "ObjectImage",
    "ObjectPlace",
    "ObjectRecord",
    "ObjectText",
    "ProvenanceEvent",
    "Place",
]
