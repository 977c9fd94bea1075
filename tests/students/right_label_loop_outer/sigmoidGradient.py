from sigmoid import sigmoid


def sigmoidGradient(z):
    sig = sigmoid(z)
    return sig * (1 - sig)
