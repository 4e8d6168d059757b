"""Neural networks with Keras: data preparation, model builders, training with early stopping.

The deep-learning chapters share this plumbing so that each notebook can show the idea
(which layers, which data, what the numbers say) in a few lines. Its modules:

- :mod:`~dlbigdata.networks.images`: :func:`images_from_frame` turns a table of pixel
  columns into the ``(n, height, width, 1)`` array a convolutional network expects, and
  :func:`shift_images` moves images by whole pixels;
- :mod:`~dlbigdata.networks.text`: :func:`select_device_tweets`,
  :func:`drop_near_duplicates`, :func:`standardize_tweet` and
  :func:`build_text_vectorizer` prepare short texts for an embedding layer;
- :mod:`~dlbigdata.networks.models`: :func:`build_article_lstm` and
  :func:`build_masked_bilstm` for text (chapter 10 writes its CNNs out as
  ``keras.Sequential`` models on the page);
- :mod:`~dlbigdata.networks.training`: :func:`stratified_split`,
  :func:`train_with_early_stopping` (a validation split carved out of the training data,
  early stopping on the validation loss, the best weights kept),
  :func:`predict_probabilities` and :func:`predict_labels`;
- :mod:`~dlbigdata.networks.baselines`: the classic models the networks are compared
  with (:func:`svm_baseline`, :func:`mlp_baseline`, :func:`tfidf_logistic_baseline`);
- :mod:`~dlbigdata.networks.streaming`: :func:`write_partitioned_parquet` and
  :func:`count_parquet_rows`, and :func:`parquet_batches` / :func:`parquet_dataset`, which
  stream training batches from Parquet into Keras without loading the table (chapter 04).

Keras 3 and scikit-learn are imported lazily, inside the functions that need them, so that
importing this package is quick and the data-preparation helpers work without TensorFlow.
"""

from dlbigdata.networks.baselines import mlp_baseline, svm_baseline, tfidf_logistic_baseline
from dlbigdata.networks.images import images_from_frame, shift_images
from dlbigdata.networks.models import build_article_lstm, build_masked_bilstm
from dlbigdata.networks.streaming import (
    count_parquet_rows,
    parquet_batches,
    parquet_dataset,
    write_partitioned_parquet,
)
from dlbigdata.networks.text import (
    build_text_vectorizer,
    drop_near_duplicates,
    select_device_tweets,
    standardize_tweet,
)
from dlbigdata.networks.training import (
    DataSplit,
    TrainingRun,
    predict_labels,
    predict_probabilities,
    stratified_split,
    train_with_early_stopping,
)

__all__ = [
    "DataSplit",
    "TrainingRun",
    "build_article_lstm",
    "build_masked_bilstm",
    "build_text_vectorizer",
    "count_parquet_rows",
    "drop_near_duplicates",
    "images_from_frame",
    "mlp_baseline",
    "parquet_batches",
    "parquet_dataset",
    "predict_labels",
    "predict_probabilities",
    "select_device_tweets",
    "shift_images",
    "standardize_tweet",
    "stratified_split",
    "svm_baseline",
    "tfidf_logistic_baseline",
    "train_with_early_stopping",
    "write_partitioned_parquet",
]
