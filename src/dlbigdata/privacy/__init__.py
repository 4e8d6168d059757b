"""Privacy: pseudonyms, k-anonymity, differentially private releases and model attacks.

- :mod:`~dlbigdata.privacy.pseudonyms`: keyed HMAC pseudonyms and the enumeration attack
  that reverses unkeyed hashes;
- :mod:`~dlbigdata.privacy.anonymity`: equivalence classes over quasi-identifiers,
  k-anonymity, l-diversity, a generaliser/suppressor that reports the information lost and
  a linkage attack;
- :mod:`~dlbigdata.privacy.releases`: Laplace releases of a count and a mean with OpenDP,
  their composition and many releases at once for measuring the noise;
- :mod:`~dlbigdata.privacy.attacks`: a confidence-threshold membership-inference attack.

Used in chapter 25.
"""

from __future__ import annotations

from dlbigdata.privacy.anonymity import (
    Anonymisation,
    anonymise,
    class_diversity,
    equivalence_class_sizes,
    k_anonymity,
    l_diversity,
    linkage_attack,
)
from dlbigdata.privacy.attacks import membership_inference_auc, true_label_confidence
from dlbigdata.privacy.pseudonyms import pseudonymise, reverse_by_enumeration
from dlbigdata.privacy.releases import (
    build_count_release,
    build_mean_release,
    compose_releases,
    privacy_loss,
    release_repeatedly,
)

__all__ = [
    "Anonymisation",
    "anonymise",
    "build_count_release",
    "build_mean_release",
    "class_diversity",
    "compose_releases",
    "equivalence_class_sizes",
    "k_anonymity",
    "l_diversity",
    "linkage_attack",
    "membership_inference_auc",
    "privacy_loss",
    "pseudonymise",
    "release_repeatedly",
    "reverse_by_enumeration",
    "true_label_confidence",
]
