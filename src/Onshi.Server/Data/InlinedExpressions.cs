using System.Linq.Expressions;
using System.Reflection;

namespace Onshi.Server.Data;

/// <summary>
/// Lets one projection expression be written once and used inside several queries (compiled ones included): a query
/// calls <c>projection.Invoke(…)</c> and <see cref="Inline{TDelegate}"/> replaces that call with the projection's body,
/// so EF Core sees the same tree it would see had the projection been written out in place.
/// </summary>
internal static class InlinedExpressions
{
    /// <summary>A marker for <see cref="Inline{TDelegate}"/>; never runs.</summary>
    public static TResult Invoke<T1, T2, T3, T4, TResult>(this Expression<Func<T1, T2, T3, T4, TResult>> expression, T1 arg1, T2 arg2, T3 arg3, T4 arg4) =>
        throw new InvalidOperationException("Invoke only marks a projection for InlinedExpressions.Inline to expand.");

    public static Expression<TDelegate> Inline<TDelegate>(Expression<TDelegate> query) => (Expression<TDelegate>)new Expander().Visit(query);

    private sealed class Expander : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(InlinedExpressions) || node.Method.Name != nameof(Invoke))
            {
                return base.VisitMethodCall(node);
            }

            // The projection is a static field; reading it here (once per query built) is what lets its body be spliced in.
            var projection = node.Arguments[0] is MemberExpression { Expression: null, Member: FieldInfo field }
                ? (LambdaExpression)field.GetValue(null)!
                : throw new NotSupportedException("Invoke expands only a projection held in a static field.");
            var arguments = node.Arguments.Skip(1).Select(Visit).ToList();
            var body = new Substitution(projection.Parameters, arguments!).Visit(projection.Body);
            return Visit(body);
        }
    }

    private sealed class Substitution(IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> arguments) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (parameters[i] == node)
                {
                    return arguments[i];
                }
            }

            return node;
        }
    }
}
